import type { Kysely, Migration } from 'kysely';
import { adoptVersionsWithoutTables } from '@app/projection-runner';

export const VERSIONED_AUDIT_AND_TIMELINE_MIGRATION_NAME = '2026-12-03T19-00-00_versioned-audit-and-timeline';

/**
 * The audit log and the service status timeline name their tables from now on, so that a new version of either
 * is built beside the one queries read. Their versions registered before wrote the connection's tables: they are
 * adopted there (see adoptVersionsWithoutTables), and nothing is rebuilt.
 */
export const versionedAuditAndTimelineMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await adoptVersionsWithoutTables(db, { name: 'audit-log', tables: ['audit_events', 'audit_streams'] });
    await adoptVersionsWithoutTables(db, {
      name: 'service-status-timeline',
      tables: ['service_status_intervals', 'analytics_invoices'],
    });
  },
  // Versions adopted in the connection's schema are served from there by the code before this one as well.
  down: () => Promise.resolve(),
};

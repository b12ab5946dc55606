import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import {
  EVENT_STORE_APPEND_ONE_FAST_PATH_MIGRATION_NAME,
  EVENT_STORE_APPEND_ONE_MIGRATION_NAME,
  EVENT_STORE_SINGLE_EVENTS_MIGRATION_NAME,
  EVENT_STORE_BATCHES_MIGRATION_NAME,
  EVENT_STORE_MIGRATION_NAME,
  eventStoreAppendOneFastPathMigration,
  eventStoreAppendOneMigration,
  eventStoreSingleEventsMigration,
  eventStoreBatchesMigration,
  eventStoreMigration,
} from '@app/event-store';
import {
  EVENT_GUARD_MIGRATION_NAME,
  eventGuardMigration,
  PROJECTION_CHECKPOINTS_MIGRATION_NAME,
  projectionCheckpointsMigration,
  READ_MODEL_VERSIONS_MIGRATION_NAME,
  readModelVersionsMigration,
} from '@app/projection-runner';
import {
  ALERTS_MIGRATION_NAME,
  alertsMigration,
  AUDIT_LOG_MIGRATION_NAME,
  auditLogMigration,
  BILLING_AGENDA_INVOICE_SERVICES_MIGRATION_NAME,
  BILLING_AGENDA_MIGRATION_NAME,
  billingAgendaInvoiceServicesMigration,
  billingAgendaMigration,
  CALLBACKS_MIGRATION_NAME,
  callbacksMigration,
  CONTRACT_HOSTED_DOMAINS_MIGRATION_NAME,
  contractHostedDomainsMigration,
  CONTRACT_SUMMARY_MIGRATION_NAME,
  contractSummaryMigration,
  CONTRACT_USERS_MIGRATION_NAME,
  contractUsersMigration,
  INSTANCE_STATUS_MIGRATION_NAME,
  instanceStatusMigration,
  INVOICES_MIGRATION_NAME,
  invoicesMigration,
  NOTIFICATIONS_MIGRATION_NAME,
  notificationsMigration,
  SERVICES_MIGRATION_NAME,
  servicesMigration,
  SERVICE_STATUS_TIMELINE_MIGRATION_NAME,
  serviceStatusTimelineMigration,
  TICKETS_MIGRATION_NAME,
  ticketsMigration,
  VERSIONED_AUDIT_AND_TIMELINE_MIGRATION_NAME,
  versionedAuditAndTimelineMigration,
} from '@app/projections';

/**
 * Every schema change of the database, in order of their timestamped names. Listed here rather than found on
 * disk: the build goes to dist/, where a folder scan would see compiled files under other names.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  [EVENT_STORE_MIGRATION_NAME]: eventStoreMigration,
  [PROJECTION_CHECKPOINTS_MIGRATION_NAME]: projectionCheckpointsMigration,
  [EVENT_GUARD_MIGRATION_NAME]: eventGuardMigration,
  [SERVICES_MIGRATION_NAME]: servicesMigration,
  [CONTRACT_USERS_MIGRATION_NAME]: contractUsersMigration,
  [INVOICES_MIGRATION_NAME]: invoicesMigration,
  [TICKETS_MIGRATION_NAME]: ticketsMigration,
  [CALLBACKS_MIGRATION_NAME]: callbacksMigration,
  [INSTANCE_STATUS_MIGRATION_NAME]: instanceStatusMigration,
  [ALERTS_MIGRATION_NAME]: alertsMigration,
  [CONTRACT_SUMMARY_MIGRATION_NAME]: contractSummaryMigration,
  [CONTRACT_HOSTED_DOMAINS_MIGRATION_NAME]: contractHostedDomainsMigration,
  [NOTIFICATIONS_MIGRATION_NAME]: notificationsMigration,
  [SERVICE_STATUS_TIMELINE_MIGRATION_NAME]: serviceStatusTimelineMigration,
  [BILLING_AGENDA_MIGRATION_NAME]: billingAgendaMigration,
  [EVENT_STORE_BATCHES_MIGRATION_NAME]: eventStoreBatchesMigration,
  [READ_MODEL_VERSIONS_MIGRATION_NAME]: readModelVersionsMigration,
  [AUDIT_LOG_MIGRATION_NAME]: auditLogMigration,
  [EVENT_STORE_APPEND_ONE_MIGRATION_NAME]: eventStoreAppendOneMigration,
  [EVENT_STORE_SINGLE_EVENTS_MIGRATION_NAME]: eventStoreSingleEventsMigration,
  [EVENT_STORE_APPEND_ONE_FAST_PATH_MIGRATION_NAME]: eventStoreAppendOneFastPathMigration,
  [BILLING_AGENDA_INVOICE_SERVICES_MIGRATION_NAME]: billingAgendaInvoiceServicesMigration,
  [VERSIONED_AUDIT_AND_TIMELINE_MIGRATION_NAME]: versionedAuditAndTimelineMigration,
};

/**
 * The Migrator's bookkeeping tables live in the connection's own schema, named: without it Kysely looks for them
 * in every schema of the database, takes another schema's for its own and fails (`relation
 * "kysely_migration_lock" does not exist`) wherever two schemas share a database — DATABASE_SCHEMA beside
 * another deployment, or a test schema beside one left behind.
 */
const migratorFor = async (db: Kysely<unknown>) =>
  new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) },
    // The event store's own migrations also run alone (`PostgresEventStore.create`, a store used without the
    // read models), so a schema may hold them before the application's earlier-named ones: those then run after.
    allowUnorderedMigrations: true,
    migrationTableSchema: (await sql<{ schema: string }>`select current_schema() as schema`.execute(db))
      .rows[0]?.schema,
  });

/** What a migration run did, for the CLI and the start-up log. */
export type MigrationReport = Readonly<{ applied: readonly string[] }>;

const reportOf = ({ error, results }: MigrationResultSet): MigrationReport => {
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : 'unknown error';
    throw new Error(`Migration ${failed ?? '(none)'} failed: ${reason}`, { cause: error });
  }
  return { applied: (results ?? []).map((result) => result.migrationName) };
};

/**
 * Brings the schema up to date under Kysely's migration lock, so processes starting together take turns and each
 * migration runs once.
 */
export const migrateToLatest = async (db: Kysely<unknown>): Promise<MigrationReport> =>
  reportOf(await (await migratorFor(db)).migrateToLatest());

/** Undoes the newest migration (operators only: it drops what that migration created). */
export const migrateDown = async (db: Kysely<unknown>): Promise<MigrationReport> =>
  reportOf(await (await migratorFor(db)).migrateDown());

import { sql, type Kysely, type Migration } from 'kysely';

export const AUDIT_LOG_MIGRATION_NAME = '2026-12-01T10-30-00_audit-log-read-model';

export const auditLogMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table audit_events (
        position text collate "C" primary key, -- fixed-width hex: byte order is log order
        event_id text not null,
        stream_name text not null,
        category text not null,
        revision bigint not null,
        contract_id text,
        type text not null,
        occurred_at timestamptz not null,
        actor_id text not null,
        actor_email text,
        correlation_id text not null,
        causation_id text not null,
        data jsonb not null,
        metadata jsonb not null,
        changes jsonb not null
      )`.execute(db);
    await sql`create index audit_events_contract_idx on audit_events (contract_id, position)`.execute(db);
    await sql`create index audit_events_correlation_idx on audit_events (correlation_id, position)`.execute(
      db,
    );
    await sql`
      create table audit_streams (
        stream_name text primary key,
        category text not null,
        contract_id text,
        revision bigint not null,
        state jsonb not null,
        first_position text collate "C" not null,
        first_occurred_at timestamptz not null
      )`.execute(db);
    await sql`create index audit_streams_contract_idx on audit_streams (contract_id, first_position)`.execute(
      db,
    );
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table if exists audit_streams`.execute(db);
    await sql`drop table if exists audit_events`.execute(db);
  },
};

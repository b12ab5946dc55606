import { sql, type Kysely, type Migration } from 'kysely';

export const SERVICE_STATUS_TIMELINE_MIGRATION_NAME =
  '2026-12-01T00-20-00_service-status-timeline-read-model';

export const serviceStatusTimelineMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table service_status_intervals (
        service_id text not null,
        from_revision bigint not null,
        contract_id text not null,
        kind text not null,
        status text not null,
        reason text,
        invoice_id text,
        previous_status text,
        from_at timestamptz not null,
        to_at timestamptz,
        primary key (service_id, from_revision)
      )`.execute(db);
    await sql`create index service_status_intervals_from_idx on service_status_intervals (from_at)`.execute(
      db,
    );
    await sql`create index service_status_intervals_open_idx on service_status_intervals (service_id)
      where to_at is null`.execute(db);
    await sql`
      create table analytics_invoices (
        invoice_id text primary key,
        contract_id text not null,
        total_cents bigint not null,
        due_date text not null, -- YYYY-MM-DD, a Sao Paulo calendar day
        issued_at timestamptz not null,
        overdue_at timestamptz,
        paid_at timestamptz,
        cancelled_at timestamptz,
        refunded_at timestamptz
      )`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table if exists service_status_intervals`.execute(db);
    await sql`drop table if exists analytics_invoices`.execute(db);
  },
};

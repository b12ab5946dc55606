import { sql, type Kysely, type Migration } from 'kysely';

export const CONTRACT_SUMMARY_MIGRATION_NAME = '2026-12-01T00-08-00_contract-summary-read-model';

export const contractSummaryMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table contract_summaries (
        contract_id text primary key,
        holder_name text not null,
        services_pending integer not null,
        services_active integer not null,
        services_suspended integer not null,
        services_cancelled integer not null,
        services_terminated integer not null,
        open_invoices_count integer not null,
        overdue_invoices_count integer not null,
        open_invoices_total_cents bigint not null,
        next_invoice_due_date text, -- YYYY-MM-DD, a Sao Paulo calendar day: text keeps it free of time zones
        open_tickets_count integer not null,
        active_alerts_count integer not null
      )`.execute(db);
    await sql`
      create table summary_services (
        service_id text primary key,
        contract_id text not null,
        status text not null,
        instance_id text
      )`.execute(db);
    await sql`create index summary_services_contract_idx on summary_services (contract_id)`.execute(db);
    await sql`create index summary_services_instance_idx on summary_services (instance_id)`.execute(db);
    await sql`
      create table summary_invoices (
        invoice_id text primary key,
        contract_id text not null,
        status text not null,
        total_cents integer not null,
        due_date text not null
      )`.execute(db);
    await sql`create index summary_invoices_contract_idx on summary_invoices (contract_id)`.execute(db);
    await sql`create table summary_tickets (ticket_id text primary key, contract_id text not null)`.execute(
      db,
    );
    await sql`create index summary_tickets_contract_idx on summary_tickets (contract_id)`.execute(db);
    await sql`create table summary_incidents (incident_id text primary key, instance_id text not null)`.execute(
      db,
    );
    await sql`create index summary_incidents_instance_idx on summary_incidents (instance_id)`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    for (const table of [
      'summary_incidents',
      'summary_tickets',
      'summary_invoices',
      'summary_services',
      'contract_summaries',
    ]) {
      await sql`drop table if exists ${sql.id(table)}`.execute(db);
    }
  },
};

import { sql, type Kysely, type Migration } from 'kysely';

export const BILLING_AGENDA_MIGRATION_NAME = '2026-12-01T09-00-00_billing-agenda';

export const billingAgendaMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    // Dates are YYYY-MM-DD Sao Paulo days as text, compared with "C" collation: byte order is date order.
    await sql`
      create table billing_agenda_services (
        service_id text primary key,
        kind text not null,
        parent_kind text,
        status text not null,
        suspension_reason text,
        next_due_date text collate "C" not null,
        retention_ends_on text collate "C",
        cancellation_effective_on text collate "C",
        parent_service_id text
      )`.execute(db);
    await sql`
      create index billing_agenda_services_due_idx on billing_agenda_services (next_due_date)
        where status in ('active', 'suspended')`.execute(db);
    await sql`
      create index billing_agenda_services_retention_idx on billing_agenda_services (retention_ends_on)
        where retention_ends_on is not null`.execute(db);
    await sql`
      create index billing_agenda_services_cancellation_idx on billing_agenda_services (cancellation_effective_on)
        where cancellation_effective_on is not null`.execute(db);
    await sql`
      create index billing_agenda_services_parent_idx on billing_agenda_services (parent_service_id)
        where parent_service_id is not null`.execute(db);
    await sql`
      create table billing_agenda_invoices (
        invoice_id text primary key,
        status text not null,
        due_date text collate "C" not null,
        nota_fiscal_pending boolean not null
      )`.execute(db);
    await sql`
      create index billing_agenda_invoices_unpaid_idx on billing_agenda_invoices (due_date)
        where status in ('open', 'overdue')`.execute(db);
    await sql`
      create index billing_agenda_invoices_nota_idx on billing_agenda_invoices (invoice_id)
        where nota_fiscal_pending`.execute(db);
    await sql`
      create table billing_agenda_tickets (ticket_id text primary key, answered_at timestamptz)`.execute(db);
    await sql`
      create index billing_agenda_tickets_answered_idx on billing_agenda_tickets (answered_at)
        where answered_at is not null`.execute(db);
    await sql`
      create table billing_agenda_invitations (
        contract_id text not null,
        invitation_id text not null,
        expires_at timestamptz,
        primary key (contract_id, invitation_id)
      )`.execute(db);
    await sql`
      create index billing_agenda_invitations_expiry_idx on billing_agenda_invitations (expires_at)
        where expires_at is not null`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    for (const table of ['invitations', 'tickets', 'invoices', 'services']) {
      await sql`drop table if exists ${sql.id(`billing_agenda_${table}`)}`.execute(db);
    }
  },
};

export const BILLING_AGENDA_INVOICE_SERVICES_MIGRATION_NAME =
  '2026-12-02T04-00-00_billing-agenda-invoice-services';

/**
 * The services each unpaid invoice bills, so the clock's suspension step looks only at invoices of active
 * services: an invoice left unpaid by a service terminated, cancelled or suspended was loaded again by every run,
 * a set that only grows. Rows written before have no services: the agenda is emptied and its checkpoint and
 * replay guard reset, so the runner builds it again from the log (the clock waits for it, as on any start).
 */
export const billingAgendaInvoiceServicesMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`alter table billing_agenda_invoices add column service_ids text[] not null default '{}'`.execute(
      db,
    );
    await resetBillingAgenda(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`alter table billing_agenda_invoices drop column if exists service_ids`.execute(db);
    await resetBillingAgenda(db);
  },
};

const resetBillingAgenda = async (db: Kysely<unknown>): Promise<void> => {
  await sql`truncate billing_agenda_services, billing_agenda_invoices, billing_agenda_tickets,
    billing_agenda_invitations`.execute(db);
  await sql`delete from projection_checkpoints where name = 'billing-agenda'`.execute(db);
  await sql`delete from projection_stream_revisions where projection = 'billing-agenda'`.execute(db);
  // Each registered version keeps its replay guard in a schema of its own: left there, the rebuild would take
  // every event for one already applied and leave the agenda empty.
  const { rows } = await sql<{ schema_name: string }>`
    select schema_name from read_model_versions where name = 'billing-agenda'`.execute(db);
  for (const { schema_name } of rows) {
    await sql`delete from ${sql.id(schema_name, 'projection_stream_revisions')}
      where projection = 'billing-agenda'`.execute(db);
  }
};

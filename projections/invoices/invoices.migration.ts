import { sql, type Kysely, type Migration } from 'kysely';

export const INVOICES_MIGRATION_NAME = '2026-12-01T00-03-00_invoices-read-model';

export const invoicesMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table invoices (
        invoice_id text primary key,
        contract_id text not null,
        status text not null,
        total_cents integer not null,
        due_date text not null, -- YYYY-MM-DD, a Sao Paulo calendar day: text keeps it free of time zones
        lines jsonb not null,
        issued_at timestamptz not null,
        paid_at timestamptz,
        paid_on text,
        nota_fiscal_number integer,
        nota_fiscal_status text,
        nota_fiscal_issued_at timestamptz,
        issued_position text collate "C" not null, -- fixed-width hex: byte order is log order
        revision bigint not null
      )`.execute(db);
    await sql`create index invoices_contract_idx on invoices (contract_id, issued_position)`.execute(db);
    await sql`
      create index invoices_nota_pending_idx on invoices (contract_id, issued_position)
        where status = 'paid' and nota_fiscal_number is null`.execute(db);
    await sql`
      create index invoices_nota_issued_idx on invoices (contract_id, issued_position)
        where nota_fiscal_status = 'issued'`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table if exists invoices`.execute(db);
  },
};

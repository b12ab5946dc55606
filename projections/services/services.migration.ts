import { sql, type Kysely, type Migration } from 'kysely';

export const SERVICES_MIGRATION_NAME = '2026-12-01T00-01-00_services-read-model';

export const servicesMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table services (
        service_id text primary key,
        contract_id text not null,
        kind text not null,
        plan text not null,
        billing_cycle text not null,
        price_cents integer not null,
        parent_service_id text,
        status text not null,
        next_due_date text not null, -- YYYY-MM-DD, a Sao Paulo calendar day: text keeps it free of time zones
        payment_method jsonb,
        instance_id text,
        suspension_reason text,
        ordered_at timestamptz not null,
        revision bigint not null
      )`.execute(db);
    await sql`create index services_contract_idx on services (contract_id, service_id)`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table if exists services`.execute(db);
  },
};

import { sql, type Kysely, type Migration } from 'kysely';

export const NOTIFICATIONS_MIGRATION_NAME = '2026-12-01T00-20-00_notifications-outbox';

/** The outbox and the projection's own directory of contracts, contacts, services, instances and invoices. */
export const notificationsMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table notification_outbox (
        seq bigint generated always as identity,
        message_id text primary key,
        kind text not null,
        cause_event_id text not null,
        contract_id text not null,
        recipient_email text not null,
        recipient_reasons jsonb not null,
        subject text not null,
        body text not null,
        status text not null,
        channel text,
        attempts integer not null default 0,
        next_attempt_at timestamptz,
        lease_until timestamptz,
        lease_owner text,
        last_error text,
        created_at timestamptz not null,
        sent_at timestamptz,
        updated_at timestamptz not null
      )`.execute(db);
    await sql`create unique index notification_outbox_seq_idx on notification_outbox (seq)`.execute(db);
    await sql`create index notification_outbox_status_idx on notification_outbox (status, seq)`.execute(db);
    await sql`
      create index notification_outbox_due_idx on notification_outbox (next_attempt_at, seq)
        where status = 'queued'`.execute(db);
    await sql`
      create table notification_contracts (contract_id text primary key, owner_email text not null)`.execute(
      db,
    );
    await sql`
      create table notification_contacts (
        contact_id text primary key,
        contract_id text not null,
        email text not null,
        categories jsonb not null
      )`.execute(db);
    await sql`create index notification_contacts_contract_idx on notification_contacts (contract_id)`.execute(
      db,
    );
    await sql`
      create table notification_services (
        service_id text primary key,
        contract_id text not null,
        plan text not null,
        instance_id text,
        ended boolean not null default false
      )`.execute(db);
    await sql`create index notification_services_instance_idx on notification_services (instance_id)`.execute(
      db,
    );
    await sql`
      create table notification_instances (instance_id text primary key, name text not null)`.execute(db);
    await sql`
      create table notification_invoices (
        invoice_id text primary key,
        contract_id text not null,
        total_cents bigint not null
      )`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    for (const table of [
      'notification_invoices',
      'notification_instances',
      'notification_services',
      'notification_contacts',
      'notification_contracts',
      'notification_outbox',
    ]) {
      await sql`drop table if exists ${sql.id(table)}`.execute(db);
    }
  },
};

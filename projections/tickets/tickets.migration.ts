import { sql, type Kysely, type Migration } from 'kysely';

export const TICKETS_MIGRATION_NAME = '2026-12-01T00-04-00_tickets-read-model';

export const ticketsMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table tickets (
        ticket_id text primary key,
        contract_id text not null,
        subject text not null,
        department text not null,
        priority text not null,
        service_id text,
        status text not null,
        opened_by_user_id text not null,
        opened_by_email text not null,
        opened_at timestamptz not null,
        updated_at timestamptz not null,
        message_count integer not null,
        closed_at timestamptz,
        opened_position text collate "C" not null, -- fixed-width hex: byte order is log order
        revision bigint not null
      )`.execute(db);
    await sql`create index tickets_contract_idx on tickets (contract_id, opened_position)`.execute(db);
    await sql`
      create table ticket_messages (
        ticket_id text not null,
        message_id text not null,
        revision bigint not null,
        author_kind text not null,
        author_id text not null,
        body text not null,
        written_at timestamptz not null,
        primary key (ticket_id, revision)
      )`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table if exists ticket_messages`.execute(db);
    await sql`drop table if exists tickets`.execute(db);
  },
};

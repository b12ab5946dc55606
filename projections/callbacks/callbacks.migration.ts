import { sql, type Kysely, type Migration } from 'kysely';

export const CALLBACKS_MIGRATION_NAME = '2026-12-01T00-05-00_callbacks-read-model';

export const callbacksMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table callbacks (
        callback_id text primary key,
        contract_id text not null,
        user_id text not null,
        phone text not null,
        topic text,
        status text not null,
        requested_at timestamptz not null,
        closed_at timestamptz,
        attempts integer,
        note text,
        requested_position text collate "C" not null, -- fixed-width hex: byte order is log order
        revision bigint not null
      )`.execute(db);
    await sql`create index callbacks_contract_idx on callbacks (contract_id, requested_position)`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table if exists callbacks`.execute(db);
  },
};

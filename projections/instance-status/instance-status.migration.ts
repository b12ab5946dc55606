import { sql, type Kysely, type Migration } from 'kysely';

export const INSTANCE_STATUS_MIGRATION_NAME = '2026-12-01T00-06-00_instance-status-read-model';

export const instanceStatusMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table instance_status (
        instance_id text primary key,
        name text not null,
        kind text not null,
        datacenter text not null,
        status text not null,
        open_incidents jsonb not null,
        registered_at timestamptz not null,
        revision bigint not null
      )`.execute(db);
    await sql`
      create table resolved_incidents (
        incident_id text primary key,
        instance_id text not null,
        instance_name text not null,
        title text not null,
        impact text not null,
        worst_impact text not null,
        opened_at timestamptz not null,
        opened_on text not null, -- YYYY-MM-DD, a Sao Paulo calendar day: text keeps it free of time zones
        resolved_at timestamptz not null,
        resolved_on text not null,
        updates jsonb not null,
        resolved_position text collate "C" not null -- fixed-width hex: byte order is log order
      )`.execute(db);
    await sql`create index resolved_incidents_position_idx on resolved_incidents (resolved_position)`.execute(
      db,
    );
    await sql`
      create index resolved_incidents_instance_idx on resolved_incidents (instance_id, resolved_position)`.execute(
      db,
    );
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table if exists resolved_incidents`.execute(db);
    await sql`drop table if exists instance_status`.execute(db);
  },
};

import { sql, type Kysely, type Migration } from 'kysely';

export const ALERTS_MIGRATION_NAME = '2026-12-01T00-07-00_alerts-read-model';

export const alertsMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table alert_services (
        service_id text primary key,
        contract_id text not null,
        instance_id text
      )`.execute(db);
    await sql`create index alert_services_contract_idx on alert_services (contract_id, instance_id)`.execute(
      db,
    );
    await sql`create table alert_instances (instance_id text primary key, name text not null)`.execute(db);
    await sql`
      create table alert_incidents (
        incident_id text primary key,
        instance_id text not null,
        title text not null,
        impact text not null,
        opened_at timestamptz not null,
        updated_at timestamptz not null,
        latest_message text,
        opened_position text collate "C" not null -- fixed-width hex: byte order is log order
      )`.execute(db);
    await sql`create index alert_incidents_instance_idx on alert_incidents (instance_id)`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    for (const table of ['alert_incidents', 'alert_instances', 'alert_services']) {
      await sql`drop table if exists ${sql.id(table)}`.execute(db);
    }
  },
};

import { sql, type Generated, type Insertable, type Kysely, type Migration, type Selectable } from 'kysely';

/** Where each projection (name and version) has got to in the log, and how it is doing. */
export interface ProjectionCheckpointsTable {
  name: string;
  version: number;
  /** The log position everything up to which is applied; null before the first batch. */
  position: string | null;
  status: 'running' | 'failing';
  last_error: string | null;
  /** The event that could not be applied, while `status` is failing. */
  error_position: string | null;
  events_applied: Generated<number>;
  updated_at: Generated<Date>;
}

export type ProjectionCheckpoint = Selectable<ProjectionCheckpointsTable>;
export type NewProjectionCheckpoint = Insertable<ProjectionCheckpointsTable>;

export interface CheckpointDatabase {
  projection_checkpoints: ProjectionCheckpointsTable;
}

export const PROJECTION_CHECKPOINTS_MIGRATION_NAME = '2026-12-01T00-00-01_projection-checkpoints';

export const projectionCheckpointsMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table if not exists projection_checkpoints (
        name text not null,
        version integer not null,
        position text,
        status text not null default 'running',
        last_error text,
        error_position text,
        events_applied bigint not null default 0,
        updated_at timestamptz not null default now(),
        primary key (name, version)
      )`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table if exists projection_checkpoints`.execute(db);
  },
};

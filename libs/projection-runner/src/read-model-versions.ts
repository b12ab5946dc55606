import { sql, type Generated, type Kysely, type Migration, type Selectable, type Transaction } from 'kysely';
import type { Position } from '@app/event-store';
import type { CheckpointDatabase } from './projection-checkpoints.table';

/**
 * Where each version of each projection keeps its tables, and which version the queries read. A version is
 * `building` from its registration until it has caught up with the log, then `active` (the one queries read, at
 * most one per projection), then `retired` once a newer one took over, until an operator prunes it.
 */
export interface ReadModelVersionsTable {
  name: string;
  version: number;
  /** The Postgres schema of its tables: its own, or the connection's for a version built before versions had one. */
  schema_name: string;
  state: ReadModelVersionState;
  registered_at: Generated<Date>;
  activated_at: Date | null;
}

export type ReadModelVersionState = 'building' | 'active' | 'retired';
export type ReadModelVersion = Selectable<ReadModelVersionsTable>;

export interface ReadModelVersionsDatabase {
  read_model_versions: ReadModelVersionsTable;
}

export const READ_MODEL_VERSIONS_MIGRATION_NAME = '2026-12-01T10-00-00_read-model-versions';

export const readModelVersionsMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table if not exists read_model_versions (
        name text not null,
        version integer not null,
        schema_name text not null,
        state text not null,
        registered_at timestamptz not null default now(),
        activated_at timestamptz,
        primary key (name, version)
      )`.execute(db);
    await sql`
      create unique index if not exists read_model_versions_one_active_idx
        on read_model_versions (name) where state = 'active'`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table if exists read_model_versions`.execute(db);
  },
};

/** The replay guard's table: every version schema has one of its own, so claims never cross versions. */
const GUARD_TABLE = 'projection_stream_revisions';

/** Postgres cuts longer identifiers silently, and two versions would then share a schema. */
const MAX_IDENTIFIER_LENGTH = 63;

/** What the registry needs of a projection. */
export type VersionedProjection = Readonly<{ name: string; version: number; tables?: readonly string[] }>;

/** The schema of one version's tables, beside the connection's own: `public__contract_users_v2`. */
export const versionSchemaName = (
  baseSchema: string,
  projection: Readonly<{ name: string; version: number }>,
) => {
  const schema = `${baseSchema}__${projection.name.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_v${projection.version}`;
  if (schema.length > MAX_IDENTIFIER_LENGTH) {
    throw new Error(
      `The schema name ${schema} is longer than Postgres allows; shorten the projection's name`,
    );
  }
  return schema;
};

/** The connection's own schema: where the shared tables (log, checkpoints, this registry) and the templates live. */
export const currentSchemaOf = async (db: Kysely<unknown>): Promise<string> => {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (schema === undefined) throw new Error('The connection has no current schema');
  return schema;
};

/** Makes version registrations of one projection in one schema take turns, across processes (class 1704). */
const lockProjection = (trx: Transaction<unknown>, name: string) =>
  sql`select pg_advisory_xact_lock(1704, hashtext(current_schema() || '.' || ${name}))`.execute(trx);

/**
 * The version's entry, created on first sight. A new version gets a schema of its own with an empty copy of each
 * of its tables (the migrations keep their shape in the connection's schema, where the projection specs use
 * them) and of the replay guard, and starts `building`. The one exception is a database from before versions had
 * schemas: the version its checkpoints already track is adopted where it is, `active`, so an upgrade rebuilds
 * nothing.
 */
export const registerVersion = async (
  db: Kysely<unknown>,
  projection: VersionedProjection,
): Promise<ReadModelVersion> =>
  db.transaction().execute(async (trx) => {
    await lockProjection(trx, projection.name);
    const versions = trx as unknown as Kysely<ReadModelVersionsDatabase & CheckpointDatabase>;
    const known = await versions
      .selectFrom('read_model_versions')
      .selectAll()
      .where('name', '=', projection.name)
      .execute();
    const existing = known.find((row) => row.version === projection.version);
    if (existing) return existing;
    const base = await currentSchemaOf(trx);
    if (known.length === 0) {
      const legacy = await versions
        .selectFrom('projection_checkpoints')
        .select('version')
        .where('name', '=', projection.name)
        .orderBy('version', 'desc')
        .executeTakeFirst();
      if (legacy) {
        const adopted = await versions
          .insertInto('read_model_versions')
          .values({ name: projection.name, version: legacy.version, schema_name: base, state: 'active' })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (adopted.version === projection.version) return adopted;
      }
    }
    const schema = versionSchemaName(base, projection);
    await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
    for (const table of [...(projection.tables ?? []), GUARD_TABLE]) {
      await sql`
        create table if not exists ${sql.id(schema, table)} (like ${sql.id(base, table)} including all)`.execute(
        trx,
      );
    }
    return versions
      .insertInto('read_model_versions')
      .values({ name: projection.name, version: projection.version, schema_name: schema, state: 'building' })
      .returningAll()
      .executeTakeFirstOrThrow();
  });

/**
 * For a projection that starts naming `tables`: its versions registered before kept only the replay guard in their
 * schema and wrote the connection's tables, so each is adopted where its rows are, as a database from before
 * versions had schemas is (its guard entries moved beside the rows, its empty schema dropped). Queries would
 * otherwise be sent to copies that were never made. The next version is built beside it, in tables of its own.
 * Answers the versions adopted. Runs in `db`'s transaction when it is one (a migration's), else in one of its own.
 */
export const adoptVersionsWithoutTables = async (
  db: Kysely<unknown>,
  projection: Readonly<{ name: string; tables: readonly string[] }>,
): Promise<number[]> => {
  const adopt = async (trx: Transaction<unknown>): Promise<number[]> => {
    await lockProjection(trx, projection.name);
    const base = await currentSchemaOf(trx);
    const { rows } = await sql<{ version: number; schema_name: string }>`
      select version, schema_name from read_model_versions
      where name = ${projection.name} and schema_name <> ${base}`.execute(trx);
    const adopted: number[] = [];
    for (const { version, schema_name: schema } of rows) {
      const { rows: copies } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
        where table_schema = ${schema} and table_name = any(${sql.val([...projection.tables])}::text[])`.execute(
        trx,
      );
      if (copies.length > 0) continue;
      await sql`
        insert into ${sql.id(base, GUARD_TABLE)} (projection, stream_name, revision)
        select projection, stream_name, revision from ${sql.id(schema, GUARD_TABLE)}
        where projection = ${projection.name}
        on conflict (projection, stream_name) do update set revision = excluded.revision`.execute(trx);
      await sql`drop schema ${sql.id(schema)} cascade`.execute(trx);
      await sql`
        update read_model_versions set schema_name = ${base}
        where name = ${projection.name} and version = ${version}`.execute(trx);
      adopted.push(version);
    }
    return adopted;
  };
  return db.isTransaction ? adopt(db as Transaction<unknown>) : db.transaction().execute(adopt);
};

/**
 * Makes a version that has caught up with the log the one queries read, retiring the version they read before;
 * true when it is active now. Refused while an older active version is further along (workers still running the
 * old code keep it moving): the switch must never take a reader back in the log. A version older than the active
 * one never takes over.
 */
export const activateVersion = async (
  db: Kysely<unknown>,
  projection: Readonly<{ name: string; version: number }>,
): Promise<boolean> =>
  db.transaction().execute(async (trx) => {
    await lockProjection(trx, projection.name);
    const versions = trx as unknown as Kysely<ReadModelVersionsDatabase & CheckpointDatabase>;
    const checkpointOf = async (version: number) =>
      (
        await versions
          .selectFrom('projection_checkpoints')
          .select('position')
          .where('name', '=', projection.name)
          .where('version', '=', version)
          .executeTakeFirst()
      )?.position as Position | null | undefined;
    const active = await versions
      .selectFrom('read_model_versions')
      .selectAll()
      .where('name', '=', projection.name)
      .where('state', '=', 'active')
      .executeTakeFirst();
    if (active?.version === projection.version) return true;
    if (active && active.version > projection.version) return false;
    const own = await checkpointOf(projection.version);
    if (own === null || own === undefined) return false;
    if (active) {
      const theirs = await checkpointOf(active.version);
      if (theirs !== null && theirs !== undefined && theirs > own) return false;
      await versions
        .updateTable('read_model_versions')
        .set({ state: 'retired' })
        .where('name', '=', projection.name)
        .where('version', '=', active.version)
        .execute();
    }
    const switched = await versions
      .updateTable('read_model_versions')
      .set({ state: 'active', activated_at: new Date() })
      .where('name', '=', projection.name)
      .where('version', '=', projection.version)
      .executeTakeFirst();
    return switched.numUpdatedRows === 1n;
  });

/** Every version of every projection, oldest first. */
export const listVersions = (db: Kysely<unknown>): Promise<ReadModelVersion[]> =>
  (db as Kysely<ReadModelVersionsDatabase>)
    .selectFrom('read_model_versions')
    .selectAll()
    .orderBy('name')
    .orderBy('version')
    .execute();

/**
 * Drops the retired versions: their schemas, checkpoints and registry rows. A version adopted in the connection's
 * schema has no schema of its own; its rows, guard entries and checkpoint go instead, and the emptied tables stay
 * as the templates of later versions. Run once every reader has moved on: an API process notices a switch within
 * its catalog's refresh interval. Answers what it dropped.
 */
export const pruneRetiredVersions = async (
  db: Kysely<unknown>,
  projections: readonly VersionedProjection[],
): Promise<ReadModelVersion[]> => {
  const retired = (await listVersions(db)).filter((row) => row.state === 'retired');
  const base = await currentSchemaOf(db);
  for (const row of retired) {
    await db.transaction().execute(async (trx) => {
      await lockProjection(trx, row.name);
      if (row.schema_name === base) {
        const tables = projections.find((projection) => projection.name === row.name)?.tables ?? [];
        for (const table of tables) await sql`delete from ${sql.id(base, table)}`.execute(trx);
        await sql`delete from ${sql.id(base, GUARD_TABLE)} where projection = ${row.name}`.execute(trx);
      } else {
        await sql`drop schema if exists ${sql.id(row.schema_name)} cascade`.execute(trx);
      }
      const versions = trx as unknown as Kysely<ReadModelVersionsDatabase & CheckpointDatabase>;
      await versions
        .deleteFrom('projection_checkpoints')
        .where('name', '=', row.name)
        .where('version', '=', row.version)
        .execute();
      await versions
        .deleteFrom('read_model_versions')
        .where('name', '=', row.name)
        .where('version', '=', row.version)
        .execute();
    });
  }
  return retired;
};

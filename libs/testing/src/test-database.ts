import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type DatabaseConnection } from '@app/read-store';

/** Which database the integration tests run on: the server named by DATABASE_URL, or in-memory PGlite. */
export const testDatabaseKind = (): 'server' | 'embedded' =>
  process.env.DATABASE_URL ? 'server' : 'embedded';

/**
 * Drops `schema` and the schemas its read model versions keep their tables in, which are named after it
 * (`<schema>__services_v1`, see read-model-versions.ts): dropping the schema alone leaves a dozen behind.
 */
export const dropSchemaWithVersions = async (db: Kysely<unknown>, schema: string): Promise<void> => {
  const { rows } = await sql<{ name: string }>`
    select nspname as name from pg_namespace where starts_with(nspname, ${`${schema}__`})`.execute(db);
  for (const { name } of rows) await sql`drop schema if exists ${sql.id(name)} cascade`.execute(db);
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
};

/**
 * A database of the test's own: a fresh schema on the Postgres server when DATABASE_URL is set (dropped on
 * close), otherwise a new in-memory PGlite. Runs never see each other's data.
 */
export const openTestDatabase = async (): Promise<DatabaseConnection> => {
  const url = process.env.DATABASE_URL;
  if (!url) return openDatabase({ kind: 'memory' });
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const connection = await openDatabase({ kind: 'server', url, schema, poolSize: 24 });
  let closing: Promise<void> | undefined;
  return {
    ...connection,
    // Idempotent: a test may close the database early to see how the app copes, and the app closes it again.
    close: () =>
      (closing ??= (async () => {
        await dropSchemaWithVersions(connection.db, schema);
        await connection.close();
      })()),
  };
};

/** Tables of no read model: the log and its snapshots, the migrator's, and the checkpoints and versions. */
export const NOT_READ_MODEL_TABLES: readonly string[] = [
  'es_events',
  'es_snapshots',
  'kysely_migration',
  'kysely_migration_lock',
  'projection_checkpoints',
  'read_model_versions',
];

/**
 * Empties a migrated test database as a fresh one is, for the next test of a file that migrated it once (a
 * migration run costs more than the tests of most files): every table of its schema but the migrator's emptied,
 * every sequence (identity columns) back at its start, and read-model version schemas named after it dropped.
 * One statement, so PGlite and the server take it alike.
 */
export const emptyTestDatabase = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    do $$
    declare found record;
    begin
      for found in select nspname from pg_namespace
        where nspname like replace(current_schema(), '_', '\\_') || '\\_\\_%' loop
        execute format('drop schema %I cascade', found.nspname);
      end loop;
      for found in select tablename from pg_tables
        where schemaname = current_schema() and tablename not in ('kysely_migration', 'kysely_migration_lock') loop
        execute format('delete from %I.%I', current_schema(), found.tablename);
      end loop;
      for found in select sequencename from pg_sequences where schemaname = current_schema() loop
        execute format('alter sequence %I.%I restart', current_schema(), found.sequencename);
      end loop;
    end $$`.execute(db);
};

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { AppConfig } from '@app/config';
import { openDatabase, type DatabaseConnection } from '@app/read-store';

/** Sixteen concurrent writers, and as many connections for both subject and baseline. */
export const POOL_SIZE = 16;

/**
 * A database of the bench's own: a fresh schema on the server named by DATABASE_URL, or PGlite in a temporary
 * folder (on disk, as `npm start` runs). Removed afterwards.
 */
/**
 * Drops a benchmark's schema with the schemas its read model versions keep their tables in
 * (`<schema>__services_v1`, see read-model-versions.ts): dropping the schema alone left a dozen behind each run.
 */
export const dropSchemaWithVersions = async (db: Kysely<unknown>, schema: string): Promise<void> => {
  const { rows } = await sql<{ name: string }>`
    select nspname as name from pg_namespace
    where nspname = ${schema} or starts_with(nspname, ${`${schema}__`})`.execute(db);
  for (const { name } of rows) await sql`drop schema if exists ${sql.id(name)} cascade`.execute(db);
};

export const openBenchDatabase = async (config: AppConfig): Promise<DatabaseConnection> => {
  if (config.database.kind === 'server') {
    const schema = `bench_${randomBytes(5).toString('hex')}`;
    const connection = await openDatabase({ ...config.database, schema, poolSize: POOL_SIZE });
    return {
      ...connection,
      close: async () => {
        await dropSchemaWithVersions(connection.db, schema);
        await connection.close();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-pglite-'));
  const connection = await openDatabase({ kind: 'embedded', dataDir });
  return {
    ...connection,
    description: `${connection.description} (set DATABASE_URL to measure a Postgres server)`,
    close: async () => {
      await connection.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

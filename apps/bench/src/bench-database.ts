import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@app/config';
import { openDatabase, type DatabaseConnection } from '@app/read-store';
import { dropSchemaWithVersions } from '@app/testing';

/** Sixteen concurrent writers, and as many connections for both subject and baseline. */
export const POOL_SIZE = 16;

/**
 * A database of the bench's own: a fresh schema on the server named by DATABASE_URL, or PGlite in a temporary
 * folder (on disk, as `npm start` runs). Removed afterwards.
 */
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

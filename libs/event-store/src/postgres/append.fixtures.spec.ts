import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, type DatabaseConnection } from '@app/read-store';
import type { NewEvent } from '../event-store.port';

/** What the Postgres adapter's append specs share (not a spec itself: no `.int.spec.ts`). */

/** The metadata of the events these specs append by hand. */
export const testMetadata = {
  actor: { kind: 'system', rule: 'test' },
  occurredAt: '2026-01-01T00:00:00.000Z',
  correlationId: 'c',
  causationId: 'c',
  schemaVersion: 1,
} as const;

/** An event of `type` whose data names its type; `metadata` to append one the store must refuse. */
export const newEvent = (type = 'Happened', metadata: object = testMetadata): NewEvent => ({
  id: randomUUID(),
  type,
  data: { type },
  metadata: metadata as NewEvent['metadata'],
});

/** The outcome of an append as a value, so several racing appends can be awaited together. */
export const settled = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/** A stream of its own. */
export const thing = () => `thing-${randomUUID()}`;

/**
 * The databases an append spec runs on: in-memory PGlite, and the server at DATABASE_URL when set, in a schema
 * named after `schemaPrefix` (dropped on close) with a pool of `poolSize`.
 */
export const appendSpecDatabases = (
  schemaPrefix: string,
  poolSize: number,
): readonly [string, () => Promise<DatabaseConnection>][] => {
  const url = process.env.DATABASE_URL;
  const onServer = async (serverUrl: string): Promise<DatabaseConnection> => {
    const schema = `${schemaPrefix}_${randomBytes(6).toString('hex')}`;
    const connection = await openDatabase({ kind: 'server', url: serverUrl, schema, poolSize });
    return {
      ...connection,
      close: async () => {
        await sql`drop schema ${sql.id(schema)} cascade`.execute(connection.db);
        await connection.close();
      },
    };
  };
  return [
    ['PGlite', () => openDatabase({ kind: 'memory' })],
    ...(url
      ? [['the Postgres server', () => onServer(url)] as [string, () => Promise<DatabaseConnection>]]
      : []),
  ];
};

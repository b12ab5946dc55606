import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '@app/event-store';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { generatedLogFor, rebuildInBatches, splitInto } from '../shared/batch-splits.fixtures.spec';
import { notificationsProjection } from './notifications.projection';
import { NOTIFICATION_TABLES, type NotificationsDatabase } from './notifications.table';

/** Every row of every table of the projection, each table in its key's order (the outbox in insertion order). */
const allRows = async (db: Kysely<NotificationsDatabase>) => {
  const rows: Record<string, unknown[]> = {};
  for (const table of NOTIFICATION_TABLES) {
    const { rows: tableRows } = await sql<Record<string, unknown>>`
      select * from ${sql.id(table)} order by 1`.execute(db);
    rows[table] = tableRows;
  }
  return rows;
};

describe('the notifications projection, whatever the batches', () => {
  let connection: DatabaseConnection;
  let log: RecordedEvent[];
  const db = () => connection.db as Kysely<NotificationsDatabase>;
  const rowsAfter = async (sizes: readonly number[]) => {
    await rebuildInBatches(db(), notificationsProjection, NOTIFICATION_TABLES, splitInto(log, sizes));
    return allRows(db());
  };

  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
    log = await generatedLogFor(connection, notificationsProjection.handles, { seed: 41, events: 3_000 });
  }, 600_000);
  afterAll(() => connection.close());

  it('writes the same rows in batches of 7, 500, the whole log or a random mix of those as event by event', async () => {
    const eventByEvent = await rowsAfter([1]);
    // The log must exercise the projection: messages of most kinds, and a directory that changes.
    const kinds = new Set(eventByEvent.notification_outbox!.map((row) => (row as { kind: string }).kind));
    expect(kinds.size).toBeGreaterThanOrEqual(6);
    expect(eventByEvent.notification_contacts!.length).toBeGreaterThan(0);
    for (const size of [7, 500, log.length]) expect(await rowsAfter([size])).toEqual(eventByEvent);
    await fc.assert(
      fc.asyncProperty(
        // Mixes of two sizes or more: one size alone is a split checked above (or, of 1, the reference again).
        fc
          .array(fc.constantFrom(1, 7, 500, log.length), { minLength: 2, maxLength: 6 })
          .filter((sizes) => new Set(sizes).size > 1),
        async (sizes) => expect(await rowsAfter(sizes)).toEqual(eventByEvent),
      ),
      { numRuns: 4 },
    );
  }, 900_000);
});

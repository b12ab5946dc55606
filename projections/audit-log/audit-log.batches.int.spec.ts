import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '@app/event-store';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { generatedLogFor, rebuildInBatches, splitInto } from '../shared/batch-splits.fixtures.spec';
import { auditLogProjection } from './audit-log.projection';
import type { AuditLogDatabase } from './audit-log.table';

const TABLES = ['audit_events', 'audit_streams'] as const;

/** Every row of both tables, each in its key's order. */
const allRows = async (db: Kysely<AuditLogDatabase>) => ({
  events: (await sql`select * from audit_events order by position`.execute(db)).rows,
  streams: (await sql`select * from audit_streams order by stream_name`.execute(db)).rows,
});

describe('the audit-log projection, whatever the batches', () => {
  let connection: DatabaseConnection;
  let log: RecordedEvent[];
  const db = () => connection.db as Kysely<AuditLogDatabase>;
  const rowsAfter = async (sizes: readonly number[]) => {
    await rebuildInBatches(db(), auditLogProjection, TABLES, splitInto(log, sizes));
    return allRows(db());
  };

  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
    log = await generatedLogFor(connection, auditLogProjection.handles, { seed: 43, events: 2_000 });
  }, 600_000);
  afterAll(() => connection.close());

  it('writes the same rows in batches of 7, 500, the whole log or a random mix of those as event by event', async () => {
    const eventByEvent = await rowsAfter([1]);
    expect(eventByEvent.events).toHaveLength(log.length);
    // Changes were folded across batches: some event changed a state its stream had before.
    expect(eventByEvent.events.some((row) => (row as { revision: number }).revision > 0)).toBe(true);
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

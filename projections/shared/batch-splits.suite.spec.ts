import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import type { Projection } from '@app/projection-runner';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { generateEventLog, openTestDatabase } from '@app/testing';

/** Every row of each table, as JSON text in a fixed order: two builds of a read model compare equal or not. */
const tablesOf = async (
  db: Kysely<unknown>,
  tables: readonly string[],
): Promise<Record<string, string[]>> => {
  const contents: Record<string, string[]> = {};
  for (const table of tables) {
    const { rows } = await sql<{ row: string }>`
      select to_jsonb(t)::text as row from ${sql.table(table)} t order by 1`.execute(db);
    contents[table] = rows.map(({ row }) => row);
  }
  return contents;
};

/** The generated log's events `projection` handles, in log order, as the runner would read them. */
const generatedLog = async (
  connection: DatabaseConnection,
  projection: Projection<unknown>,
  size: number,
): Promise<RecordedEvent[]> => {
  const store = PostgresEventStore.open(connection.db, { directQuery: connection.query });
  const written = await generateEventLog(store, { seed: 2027, events: size, batchEvents: 1_000 });
  const events: RecordedEvent[] = [];
  // On a shared server another database's open transaction may hold the log back a moment after the last append.
  for (let deadline = Date.now() + 30_000; events.length < written.events && Date.now() < deadline;) {
    const page = await store.readAll({
      maxCount: 5_000,
      ...(events.length ? { after: events.at(-1)!.position } : {}),
    });
    events.push(...page);
    if (page.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(events).toHaveLength(written.events);
  return events.filter((event) => projection.handles.includes(event.type));
};

/** Empties the read model and its replay guard, as a rebuild from the start of the log finds them. */
const reset = async (db: Kysely<unknown>, projection: Projection<unknown>, tables: readonly string[]) => {
  for (const table of tables) await sql`delete from ${sql.table(table)}`.execute(db);
  await sql`delete from projection_stream_revisions where projection = ${projection.name}`.execute(db);
};

/** Applies `events` in consecutive batches of the given sizes (taken in turn), each in its own transaction. */
const applyInBatches = async (
  db: Kysely<unknown>,
  projection: Projection<unknown>,
  events: readonly RecordedEvent[],
  sizes: readonly number[],
): Promise<void> => {
  for (let start = 0, turn = 0; start < events.length; turn++) {
    const size = sizes[turn % sizes.length]!;
    const batch = events.slice(start, start + size);
    await db.transaction().execute((trx) => projection.apply(batch, trx));
    start += size;
  }
};

/**
 * The proof that a projection's set-based `apply` folds a batch right: a generated log applied in batches of any
 * split (7, 500, the whole log at once, random mixes) leaves the same tables as one event at a time, and a replay
 * of any stretch of it afterwards changes nothing.
 */
export const describeBatchSplits = <DB>(
  projection: Projection<DB>,
  tables: readonly (keyof DB & string)[],
  logSize = 3_000,
): void => {
  const readModel = projection as unknown as Projection<unknown>;
  describe(`the ${projection.name} read model, applied a batch at a time`, () => {
    let connection: DatabaseConnection;
    let events: RecordedEvent[];
    let eventByEvent: Record<string, string[]>;
    const db = () => connection.db as Kysely<unknown>;

    beforeAll(async () => {
      connection = await openTestDatabase();
      await migrateToLatest(connection.db);
      events = await generatedLog(connection, readModel, logSize);
      await applyInBatches(db(), readModel, events, [1]);
      eventByEvent = await tablesOf(db(), tables);
    }, 600_000);
    afterAll(() => connection.close());

    it('is built from a log with rows in every table', () => {
      for (const table of tables) expect(eventByEvent[table]!.length).toBeGreaterThan(0);
    });

    it('leaves the same tables for any split of the log into batches, and a replay changes nothing', async () => {
      // Batches of 7, of 500 and the whole log at once each run once (a second run of one of them would apply the
      // same batches again: only its replay would differ); the generated runs are random mixes of sizes.
      const mix = fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 6 });
      const replay = fc.record({ from: fc.nat(), length: fc.integer({ min: 1, max: 800 }) });
      await fc.assert(
        fc.asyncProperty(mix, replay, async (sizes, { from, length }) => {
          await reset(db(), readModel, tables);
          await applyInBatches(db(), readModel, events, sizes);
          expect(await tablesOf(db(), tables)).toEqual(eventByEvent);
          const start = from % events.length;
          await applyInBatches(db(), readModel, events.slice(start, start + length), [length]);
          expect(await tablesOf(db(), tables)).toEqual(eventByEvent);
        }),
        {
          // The three fixed splits, then three random mixes.
          numRuns: 6,
          examples: [
            [[7], { from: 0, length: 800 }],
            [[500], { from: 11, length: 1 }],
            [[events.length], { from: 1_234, length: 800 }],
          ],
        },
      );
    }, 600_000);
  });
};

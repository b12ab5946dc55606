import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import type { Projection } from '@app/projection-runner';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { generateEventLog, openTestDatabase } from '@app/testing';

const PAGE = 5_000;

/** The log's events a projection handles, in log order, once all `written` are visible (a shared server lags). */
const handledLog = async (
  store: PostgresEventStore,
  written: number,
  handles: readonly string[],
): Promise<RecordedEvent[]> => {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const events: RecordedEvent[] = [];
    for (;;) {
      const after = events.at(-1)?.position;
      const page = await store.readAll({ maxCount: PAGE, ...(after === undefined ? {} : { after }) });
      events.push(...page);
      if (page.length < PAGE) break;
    }
    if (events.length >= written) return events.filter((event) => handles.includes(event.type));
    if (Date.now() > deadline)
      throw new Error(`only ${events.length} of the ${written} events written are visible`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Every row of the projection's tables, each table's rows in one canonical order. */
const tablesOf = async (
  db: Kysely<unknown>,
  tables: readonly string[],
): Promise<Record<string, string[]>> => {
  const snapshot: Record<string, string[]> = {};
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    snapshot[table] = rows
      .map((row) => JSON.stringify(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1))))
      .sort();
  }
  return snapshot;
};

/** One way of cutting the log into batches: a batch may start back, by up to its own length, among events applied. */
type Step = Readonly<{ size: number; replay: boolean; replayFrom: number }>;

/**
 * The proof that a projection's batch fold is right: a generated log applied in batches of 7, of 500, whole, or
 * in random splits whose batches start back among events already applied, leaves the projection's tables exactly
 * as applying it one event at a time does; the whole log applied again changes nothing.
 */
export const describeBatchSplits = <DB>(
  projection: Projection<DB>,
  options: Readonly<{ seed: number; events: number; atLeast?: number }>,
) =>
  describe(`the ${projection.name} projection, applied in batches of any split`, () => {
    let connection: DatabaseConnection;
    let log: RecordedEvent[];
    let eventByEvent: Record<string, string[]>;
    const db = () => connection.db as unknown as Kysely<unknown>;
    const tables = projection.tables ?? [];

    const empty = async () => {
      for (const table of tables) await sql`delete from ${sql.table(table)}`.execute(db());
      await sql`delete from projection_stream_revisions where projection = ${projection.name}`.execute(db());
    };
    const applyInBatches = async (batches: readonly (readonly RecordedEvent[])[]) => {
      for (const batch of batches)
        await (connection.db as unknown as Kysely<DB>)
          .transaction()
          .execute((trx) => projection.apply(batch, trx));
    };
    const cut = (size: number) =>
      Array.from({ length: Math.ceil(log.length / size) }, (_, index) =>
        log.slice(index * size, (index + 1) * size),
      );

    beforeAll(async () => {
      connection = await openTestDatabase();
      await migrateToLatest(connection.db);
      const store = PostgresEventStore.open(connection.db, { directQuery: connection.query });
      const written = await generateEventLog(store, {
        seed: options.seed,
        events: options.events,
        batchEvents: 1_000,
      });
      log = await handledLog(store, written.events, projection.handles);
      await applyInBatches(cut(1));
      eventByEvent = await tablesOf(db(), tables);
    }, 600_000);
    afterAll(() => connection.close());

    it('has events to apply and rows to compare', () => {
      expect(log.length).toBeGreaterThanOrEqual(options.atLeast ?? 100);
      expect(Object.values(eventByEvent).flat().length).toBeGreaterThan(0);
    });

    it.each([7, 500, 'whole'] as const)(
      'leaves the tables as event by event does in batches of %s',
      async (size) => {
        await empty();
        await applyInBatches(cut(size === 'whole' ? log.length : size));
        expect(await tablesOf(db(), tables)).toEqual(eventByEvent);
        await applyInBatches([log]);
        expect(await tablesOf(db(), tables)).toEqual(eventByEvent);
      },
      600_000,
    );

    it('leaves them so in random splits whose batches replay events already applied', async () => {
      const step = fc.record({
        size: fc.constantFrom(1, 7, 500, Number.MAX_SAFE_INTEGER),
        replay: fc.boolean(),
        replayFrom: fc.double({ min: 0, max: 1, noNaN: true }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps: Step[]) => {
          await empty();
          const batches: RecordedEvent[][] = [];
          for (let applied = 0, index = 0; applied < log.length; index++) {
            const { size, replay, replayFrom } = steps[index % steps.length]!;
            const next = Math.min(log.length, applied + size);
            const start = replay ? applied - Math.floor(replayFrom * Math.min(applied, size)) : applied;
            batches.push(log.slice(start, next));
            applied = next;
          }
          await applyInBatches(batches);
          expect(await tablesOf(db(), tables)).toEqual(eventByEvent);
        }),
        { numRuns: 6 },
      );
    }, 1_200_000);
  });

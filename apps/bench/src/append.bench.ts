import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { PostgresEventStore, type EventStore } from '@app/event-store';
import type { DatabaseConnection } from '@app/read-store';
import { compare, throughput, type BenchOptions, type BenchResult } from './bench-harness';
import { POOL_SIZE } from './bench-database';
import { appendStoreThroughput, benchEventData, benchMetadata } from './store-append';

/** The same columns, keys and indexes as es_events: what a hand-written INSERT would go into. */
const createBaselineTable = async (db: Kysely<unknown>): Promise<void> => {
  await sql`create table bench_raw_events (like es_events including all)`.execute(db);
};

const rawInsert = `insert into bench_raw_events
  (stream_name, stream_category, revision, event_id, type, data, metadata, occurred_at)
  values ($1, 'raw', $2, $3, 'BenchEventAppended', $4, $5, $6)`;

/**
 * append.store and append.sequential: events/s through the EventStore port (one event per append, expected
 * revision given), against one raw INSERT per transaction into an equivalent table, same concurrency.
 */
export const appendBenchmarks = async (
  connection: DatabaseConnection,
  options: BenchOptions,
): Promise<BenchResult[]> => {
  const db = connection.db as Kysely<unknown>;
  const store: EventStore = await PostgresEventStore.create(db, { directQuery: connection.query });
  await createBaselineTable(db);
  const durationMs = options.quick ? 3_000 : 10_000;
  const rounds = options.quick ? 3 : 5;

  const storeRun = (writers: number) => () => appendStoreThroughput(store, writers, durationMs);

  const rawRun = (writers: number) => async () => {
    const streams = Array.from({ length: writers }, () => `raw-${randomUUID()}`);
    return throughput(writers, durationMs, async (writer, iteration) => {
      await connection.query(rawInsert, [
        streams[writer],
        iteration,
        randomUUID(),
        JSON.stringify(benchEventData(iteration)),
        JSON.stringify(benchMetadata()),
        new Date().toISOString(),
      ]);
    });
  };

  const concurrent = await compare(rounds, storeRun(POOL_SIZE), rawRun(POOL_SIZE));
  const sequential = await compare(rounds, storeRun(1), rawRun(1));
  return [
    {
      name: 'append.store',
      unit: 'events/s',
      ...concurrent,
      note: `${POOL_SIZE} writers, 1 event per append; baseline raw INSERT; target ratio >= 0.9`,
    },
    {
      name: 'append.sequential',
      unit: 'events/s',
      ...sequential,
      note: '1 writer; baseline raw INSERT, 1 writer; target ratio >= 0.8',
    },
  ];
};

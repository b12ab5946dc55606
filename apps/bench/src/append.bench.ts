import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { PostgresEventStore, type EventStore } from '@app/event-store';
import type { DatabaseConnection } from '@app/read-store';
import { median, throughputAndLatency, type BenchOptions, type BenchResult } from './bench-harness';
import { POOL_SIZE } from './bench-database';
import { appendStoreThroughputAndLatency, benchEventData, benchMetadata } from './store-append';

/** The same columns, keys and indexes as es_events: what a hand-written INSERT would go into. */
const createBaselineTable = async (db: Kysely<unknown>): Promise<void> => {
  await sql`create table bench_raw_events (like es_events including all)`.execute(db);
};

const rawInsert = `insert into bench_raw_events
  (stream_name, stream_category, revision, event_id, type, data, metadata, occurred_at)
  values ($1, 'raw', $2, $3, 'BenchEventAppended', $4, $5, $6)`;

/**
 * append.store, append.sequential and append.store.64: events/s through the EventStore port (one event per
 * append, expected revision given), against one raw INSERT per transaction into an equivalent table, same
 * concurrency, with the p99 latency of each.
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

  const storeRun = (writers: number) => () => appendStoreThroughputAndLatency(store, writers, durationMs);

  const rawRun = (writers: number) => async () => {
    const streams = Array.from({ length: writers }, () => `raw-${randomUUID()}`);
    return throughputAndLatency(writers, durationMs, async (writer, iteration) => {
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

  /** Alternating rounds of subject and baseline, reporting the medians of throughput and of p99 latency. */
  const compareWithLatency = async (writers: number) => {
    const subject: { perSecond: number; p99Ms: number }[] = [];
    const baseline: { perSecond: number; p99Ms: number }[] = [];
    for (let round = 0; round < rounds; round++) {
      baseline.push(await rawRun(writers)());
      subject.push(await storeRun(writers)());
    }
    const value = median(subject.map((r) => r.perSecond));
    const base = median(baseline.map((r) => r.perSecond));
    const p99 = median(subject.map((r) => r.p99Ms));
    const baseP99 = median(baseline.map((r) => r.p99Ms));
    return {
      rate: { value, baseline: base, ratio: value / base },
      p99: { value: p99, baseline: baseP99, ratio: p99 / baseP99 },
    };
  };

  const concurrent = await compareWithLatency(POOL_SIZE);
  const sequential = await compareWithLatency(1);
  const wide = await compareWithLatency(64);
  const p99Note = (p99: { value: number; baseline: number }) =>
    `p99 ${p99.value.toFixed(1)} ms vs raw ${p99.baseline.toFixed(1)} ms`;
  return [
    {
      name: 'append.store',
      unit: 'events/s',
      ...concurrent.rate,
      note: `${POOL_SIZE} writers, 1 event per append, group commit; baseline raw INSERT per transaction; target ratio >= 1.5; ${p99Note(concurrent.p99)}`,
    },
    {
      name: 'append.store.p99',
      unit: 'ms',
      ...concurrent.p99,
      note: `p99 latency of one append at ${POOL_SIZE} writers; baseline raw INSERT's p99`,
    },
    {
      name: 'append.sequential',
      unit: 'events/s',
      ...sequential.rate,
      note: `1 writer; baseline raw INSERT, 1 writer; target ratio >= 0.9; ${p99Note(sequential.p99)}`,
    },
    {
      name: 'append.store.64',
      unit: 'events/s',
      ...wide.rate,
      note: `64 writers on a pool of ${POOL_SIZE}; baseline raw INSERT, 64 writers; target ratio >= 2; ${p99Note(wide.p99)}`,
    },
  ];
};

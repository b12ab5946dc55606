import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { loadCurrentState, snapshotPolicy, Snapshotting, type WritePath } from '@app/command-handling';
import type { Command, Decider, Message } from '@app/domain';
import { PostgresEventStore, PostgresSnapshotStore } from '@app/event-store';
import type { DatabaseConnection } from '@app/read-store';
import { compare, duration, percentile, type BenchOptions, type BenchResult } from './bench-harness';
import { benchMetadata } from './store-append';

type Tally = Readonly<{ count: number }>;

/** The smallest aggregate: counts its events. Its state is tiny, so the figure is the cost of reading. */
const tallyDecider: Decider<Command<'Count', Record<string, never>>, Message, Tally> = {
  initialState: () => ({ count: 0 }),
  evolve: (state) => ({ count: state.count + 1 }),
  decide: () => [{ type: 'Counted', data: {} }],
};

const appendMany = async (store: PostgresEventStore, stream: string, from: number, count: number) => {
  for (let n = 0; n < count; n += 1_000) {
    const size = Math.min(1_000, count - n);
    await store.append(
      stream,
      Array.from({ length: size }, () => ({
        id: randomUUID(),
        type: 'Counted',
        data: {},
        metadata: benchMetadata(),
      })),
      from + n === 0 ? 'no_stream' : from + n - 1,
    );
  }
};

/**
 * load.aggregate.snapshot: ms to load a 100,000-event stream through the write path with snapshots every 1,000
 * events (the latest snapshot plus up to 999 events after it), against reading those 100,000 rows raw.
 */
const snapshotLoad = async (connection: DatabaseConnection, options: BenchOptions): Promise<BenchResult> => {
  const db = connection.db as Kysely<unknown>;
  const eventStore = await PostgresEventStore.create(db, { directQuery: connection.query });
  const snapshots = new Snapshotting(new PostgresSnapshotStore(db), [
    snapshotPolicy(tallyDecider, { every: 1_000, schemaVersion: 1 }),
  ]);
  const writePath: WritePath = { eventStore, snapshots };
  const length = 100_000;
  const stream = `tally-${randomUUID()}`;
  // The snapshot is taken at 99,499 events; the last 501 come after it, as between two snapshots.
  await appendMany(eventStore, stream, 0, length - 501);
  await loadCurrentState(writePath, tallyDecider, stream);
  await snapshots.settled();
  await appendMany(eventStore, stream, length - 501, 501);
  const loaded = await loadCurrentState(writePath, tallyDecider, stream);
  if (loaded.state.count !== length) throw new Error(`tally loaded ${loaded.state.count} events`);
  const result = await compare(
    options.quick ? 5 : 15,
    () => duration(() => loadCurrentState(writePath, tallyDecider, stream)),
    () =>
      duration(() =>
        connection.query(
          `select event_id, type, data, metadata, stream_name, revision, transaction_id::text, global_position::text
           from es_events where stream_name = $1 order by revision`,
          [stream],
        ),
      ),
  );
  return {
    name: 'load.aggregate.snapshot',
    unit: 'ms',
    ...result,
    note: `load a ${length}-event stream from its snapshot (every 1,000) plus 501 events; baseline raw read of the ${length} rows; target ratio <= 0.1`,
  };
};

/**
 * subscription.lag.p99: ms from sending an append to a subscriber in a second process receiving it, at 500
 * appends/s. Only on a server: PGlite belongs to one process.
 */
const subscriptionLag = async (
  connection: DatabaseConnection,
  options: BenchOptions,
  url: string,
): Promise<BenchResult> => {
  const db = connection.db as Kysely<unknown>;
  const store = await PostgresEventStore.create(db, { directQuery: connection.query });
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s;
  const category = `lag${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const child = fork(join(__dirname, 'subscription-lag.child.js'), [url, schema, category], {
    stdio: 'inherit',
  });
  const lags: number[] = [];
  const live = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message) => {
      if (message === 'ready') resolve();
      else lags.push(message as number);
    });
  });
  // Sent until the child has it: before its LISTEN takes effect it is read on the LISTEN's wake-up, or the poll.
  let warmedUp = false;
  void live.then(() => (warmedUp = true));
  for (let attempt = 0; !warmedUp && attempt < 100; attempt++) {
    await store.append(
      `${category}-warm-up`,
      [{ id: randomUUID(), type: 'WarmUp', data: {}, metadata: benchMetadata() }],
      'any',
    );
    await Promise.race([live, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  await live;
  const count = options.quick ? 2_000 : 10_000;
  const intervalMs = 1_000 / 500;
  const started = performance.now();
  const appends: Promise<unknown>[] = [];
  for (let n = 0; n < count; n++) {
    const due = started + n * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    appends.push(
      store.append(
        `${category}-${n % 50}`,
        [
          {
            id: randomUUID(),
            type: 'Sent',
            data: { sentAt: performance.timeOrigin + performance.now() },
            metadata: benchMetadata(),
          },
        ],
        'any',
      ),
    );
  }
  await Promise.all(appends);
  const deadline = performance.now() + 10_000;
  while (lags.length < count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
  await store.close();
  return {
    name: 'subscription.lag.p99',
    unit: 'ms',
    value: percentile(lags, 0.99),
    note: `${count} appends at 500/s, subscriber in a second process (LISTEN/NOTIFY), ${lags.length} received; target <= 20 ms`,
  };
};

/** The event store at scale: snapshots and cross-process subscriptions. */
export const storeScaleBenchmarks = async (
  connection: DatabaseConnection,
  options: BenchOptions,
  serverUrl: string | undefined,
): Promise<BenchResult[]> => [
  await snapshotLoad(connection, options),
  ...(serverUrl && connection.kind === 'server'
    ? [await subscriptionLag(connection, options, serverUrl)]
    : []),
];

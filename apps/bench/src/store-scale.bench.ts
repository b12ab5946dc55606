import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import {
  AggregateCache,
  deterministicUuid,
  handleCommand,
  loadCurrentState,
  SNAPSHOT_POLICIES,
  snapshotPolicy,
  Snapshotting,
  type WritePath,
} from '@app/command-handling';
import {
  invoiceDecider,
  invoiceStream,
  notaFiscalAllocation,
  notaFiscalSeriesDecider,
  notaFiscalSeriesStream,
  type Actor,
  type Command,
  type Decider,
  type Message,
} from '@app/domain';
import { PostgresEventStore, PostgresSnapshotStore } from '@app/event-store';
import { currentSchemaOf } from '@app/projection-runner';
import type { DatabaseConnection } from '@app/read-store';
import { compare, duration, median, percentile, type BenchOptions, type BenchResult } from './bench-harness';
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
  const schema = await currentSchemaOf(db);
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

const BILLING: Actor = {
  kind: 'user',
  userId: 'bench-billing',
  email: 'cobranca@provedor.com.br',
  roles: ['billing'],
};

/** A paid invoice waiting for its nota fiscal. */
const paidInvoice = async (writePath: WritePath, invoiceId: string): Promise<void> => {
  const now = new Date().toISOString();
  const day = now.slice(0, 10);
  await handleCommand(writePath, invoiceDecider, invoiceStream(invoiceId), {
    command: {
      type: 'IssueInvoice',
      data: {
        invoiceId,
        contractId: 'bench-contract',
        lines: [
          {
            serviceId: 'bench-service',
            description: 'Hospedagem (mensal)',
            periodStart: day,
            periodEnd: day,
            amountCents: 2990,
          },
        ],
        dueDate: day,
      },
      metadata: { now, actor: BILLING },
    },
    commandId: `bench-issue:${invoiceId}`,
  });
  await handleCommand(writePath, invoiceDecider, invoiceStream(invoiceId), {
    command: {
      type: 'RecordPayment',
      data: { transactionId: `tx-${invoiceId}`, amountCents: 2990, method: 'boleto', paidAt: now },
      metadata: { now, actor: BILLING },
    },
    commandId: `bench-pay:${invoiceId}`,
  });
};

/** Issues `invoiceId`'s nota fiscal in a fresh process (nota-issue.child.ts) and answers how long it took. */
const notaInFreshProcess = (url: string, schema: string, invoiceId: string): Promise<number> =>
  new Promise((resolvePromise, reject) => {
    const child = fork(join(__dirname, 'nota-issue.child.js'), [url, schema, invoiceId], {
      stdio: 'inherit',
    });
    let ms: number | undefined;
    child.on('message', (message) => (ms = (message as { ms: number }).ms));
    child.once('error', reject);
    child.once('exit', (code) =>
      ms === undefined ? reject(new Error(`nota-issue child exited with ${code}`)) : resolvePromise(ms),
    );
  });

/**
 * nota.issue.100k: ms to issue a paid invoice's nota fiscal (the series allocates its number, the invoice records
 * it) in a fresh process once the series holds 100,000 earlier notas, against the same in a fresh process at the
 * series' first nota. Only on a server: the fresh process shares the database.
 */
const notaAfterManyNotas = async (
  connection: DatabaseConnection,
  options: BenchOptions,
  url: string,
): Promise<BenchResult> => {
  const db = connection.db as Kysely<unknown>;
  const eventStore = await PostgresEventStore.create(db, { directQuery: connection.query });
  const snapshots = new Snapshotting(new PostgresSnapshotStore(db), SNAPSHOT_POLICIES);
  const writePath: WritePath = { eventStore, snapshots };
  const schema = await currentSchemaOf(db);
  const series = notaFiscalSeriesStream();
  const rounds = options.quick ? 3 : 5;
  const invoices = Array.from({ length: 2 * rounds }, () => `bench-nota-${randomUUID()}`);
  for (const invoiceId of invoices) await paidInvoice(writePath, invoiceId);
  const earlier = (await eventStore.readStream(series)).length;
  const atFirst: number[] = [];
  for (const invoiceId of invoices.slice(0, rounds))
    atFirst.push(await notaInFreshProcess(url, schema, invoiceId));
  // 100,000 earlier notas, as the clock would have allocated them, then the snapshot a load would take.
  const total = 100_000;
  let revision = (await eventStore.readStream(series)).length - 1;
  for (let done = 0; done < total; done += 1_000) {
    const events = Array.from({ length: 1_000 }, (_, n) => {
      const invoiceId = `earlier-${done + n}`;
      const { commandId, requestDigest } = notaFiscalAllocation(invoiceId);
      return {
        id: deterministicUuid(commandId, series, '0'),
        type: 'NotaFiscalNumberAllocated',
        data: { invoiceId, number: revision + 2 + n },
        metadata: { ...benchMetadata(), commandId, commandDigest: requestDigest },
      };
    });
    await eventStore.append(series, events, revision < 0 ? 'no_stream' : revision);
    revision += 1_000;
  }
  await loadCurrentState({ ...writePath, cache: new AggregateCache() }, notaFiscalSeriesDecider, series);
  await snapshots.settled();
  const after: number[] = [];
  for (const invoiceId of invoices.slice(rounds))
    after.push(await notaInFreshProcess(url, schema, invoiceId));
  await eventStore.close();
  const value = median(after);
  const baseline = median(atFirst);
  return {
    name: 'nota.issue.100k',
    unit: 'ms',
    value,
    baseline,
    ratio: value / baseline,
    note: `issue a nota fiscal in a fresh process after ${total + earlier + rounds} earlier ones; baseline the same at the series' first notas; target < 20 ms`,
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
    ? [
        await subscriptionLag(connection, options, serverUrl),
        await notaAfterManyNotas(connection, options, serverUrl),
      ]
    : []),
];

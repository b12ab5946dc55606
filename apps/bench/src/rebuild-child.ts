// First, as in the worker whose rebuild this measures: the worker's heap settings.
import '@app/platform/steady-heap';
import { headReaching, PostgresEventStore } from '@app/event-store';
import { ProjectionRunner, type Projection } from '@app/projection-runner';
import { READ_MODEL_PROJECTIONS, type ReadModelDatabase } from '@app/projections';
import { migrateToLatest, openDatabase } from '@app/read-store';
import type { Kysely } from 'kysely';

/** What the child tells of one projection of the rebuild. */
export type RebuiltProjection = Readonly<{
  name: string;
  /** Events of the log it handles, as the runner handed them to it. */
  events: number;
  /** Time inside its `apply`, summed over its batches. */
  applySeconds: number;
  /** From the start until its version caught up with the head and became the one queries read. */
  caughtUpSeconds: number | null;
}>;

/** The child's one line of output. */
export type RebuildChildResult = Readonly<{
  done: boolean;
  seconds: number;
  peakRssBytes: number;
  projections: readonly RebuiltProjection[];
}>;

/**
 * `apply` timed: the rebuild's time split by projection, the figure each projection's authors tune against. With
 * `skipApply`, an `apply` that writes nothing: what is left is the runner's own cost (reads, transactions,
 * checkpoints).
 */
const timed = (
  projection: Projection<ReadModelDatabase>,
  spent: Map<string, number>,
  skipApply: boolean,
): Projection<ReadModelDatabase> => ({
  ...projection,
  apply: async (events, trx) => {
    const started = performance.now();
    try {
      if (!skipApply) await projection.apply(events, trx);
    } finally {
      spent.set(projection.name, (spent.get(projection.name) ?? 0) + performance.now() - started);
    }
  },
});

/**
 * The rebuild measured by `projection.rebuild` and `memory.rebuild.rss`, in a process of its own so its RSS is
 * the rebuild's alone: reads the log in the schema `BENCH_LOG_SCHEMA`, builds the read models from the start into
 * the fresh schema `BENCH_READ_SCHEMA` and prints one JSON line (see {@link RebuildChildResult}). Every read
 * model, or only those named in `BENCH_PROJECTIONS` (comma-separated), to time one alone; with
 * `BENCH_SKIP_APPLY=1`, through an `apply` that writes nothing, to time the runner alone. `BENCH_BATCH_SIZE` and
 * `BENCH_PAGE_SIZE` set the runner's, to compare sizes on one log.
 */
const main = async (): Promise<void> => {
  const url = process.env.DATABASE_URL!;
  const skipApply = process.env.BENCH_SKIP_APPLY === '1';
  const only = (process.env.BENCH_PROJECTIONS ?? '').split(',').filter((name) => name !== '');
  const chosen = READ_MODEL_PROJECTIONS.filter(
    (projection) => only.length === 0 || only.includes(projection.name),
  );
  if (chosen.length === 0) throw new Error(`no read model is named ${process.env.BENCH_PROJECTIONS}`);
  const log = await openDatabase({ kind: 'server', url, schema: process.env.BENCH_LOG_SCHEMA!, poolSize: 4 });
  const read = await openDatabase({
    kind: 'server',
    url,
    schema: process.env.BENCH_READ_SCHEMA!,
    poolSize: 12,
  });
  await migrateToLatest(read.db);
  const store = PostgresEventStore.open(log.db, { directQuery: log.query });
  const head = await headReaching(store);
  const applyMs = new Map<string, number>();
  const applied = new Map<string, number>();
  const caughtUpAt = new Map<string, number>();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const runner = new ProjectionRunner<ReadModelDatabase>({
    db: read.db as Kysely<ReadModelDatabase>,
    store,
    projections: chosen.map((projection) => timed(projection, applyMs, skipApply)),
    ...(process.env.BENCH_BATCH_SIZE ? { batchSize: Number(process.env.BENCH_BATCH_SIZE) } : {}),
    ...(process.env.BENCH_PAGE_SIZE ? { pageSize: Number(process.env.BENCH_PAGE_SIZE) } : {}),
    onApplied: ({ projection, events }) => applied.set(projection, (applied.get(projection) ?? 0) + events),
    onActivated: ({ projection }) => caughtUpAt.set(projection, performance.now() - started),
  });
  runner.start();
  const done = head === undefined || (await runner.caughtUpTo(head, 6 * 60 * 60_000));
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  clearInterval(sampler);
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  const projections = chosen.map(({ name }) => ({
    name,
    events: applied.get(name) ?? 0,
    applySeconds: (applyMs.get(name) ?? 0) / 1000,
    caughtUpSeconds: caughtUpAt.has(name) ? caughtUpAt.get(name)! / 1000 : null,
  }));
  const result: RebuildChildResult = { done, seconds, peakRssBytes: peak, projections };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await log.close();
  await read.close();
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

import { PostgresEventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/projection-runner';
import { READ_MODEL_PROJECTIONS, type ReadModelDatabase } from '@app/projections';
import { migrateToLatest, openDatabase } from '@app/read-store';
import type { Kysely } from 'kysely';

/**
 * The rebuild measured by `projection.rebuild` and `memory.rebuild.rss`, in a process of its own so its RSS is
 * the rebuild's alone: reads the log in the schema `BENCH_LOG_SCHEMA`, builds every read model from the start into
 * the fresh schema `BENCH_READ_SCHEMA` and prints one JSON line: seconds and peak RSS.
 */
const main = async (): Promise<void> => {
  const url = process.env.DATABASE_URL!;
  const log = await openDatabase({ kind: 'server', url, schema: process.env.BENCH_LOG_SCHEMA!, poolSize: 4 });
  const read = await openDatabase({
    kind: 'server',
    url,
    schema: process.env.BENCH_READ_SCHEMA!,
    poolSize: 12,
  });
  await migrateToLatest(read.db);
  const store = PostgresEventStore.open(log.db, { directQuery: log.query });
  const head = await store.headPosition();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const runner = new ProjectionRunner<ReadModelDatabase>({
    db: read.db as Kysely<ReadModelDatabase>,
    store,
    projections: READ_MODEL_PROJECTIONS,
  });
  runner.start();
  const done = head === undefined || (await runner.caughtUpTo(head, 6 * 60 * 60_000));
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  clearInterval(sampler);
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  process.stdout.write(`${JSON.stringify({ done, seconds, peakRssBytes: peak })}\n`);
  await log.close();
  await read.close();
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

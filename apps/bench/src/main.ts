import 'reflect-metadata';
import { loadConfig } from '@app/config';
import type { DatabaseConnection } from '@app/read-store';
import { appendBenchmarks } from './append.bench';
import { auditStateBenchmarks } from './audit-state.bench';
import { billingClockBenchmarks } from './billing-clock.bench';
import { exportCsvBenchmarks } from './export-csv.bench';
import { httpCommandBenchmarks } from './http-command.bench';
import { httpQueryBenchmarks } from './http-query.bench';
import { projectionLagBenchmarks, projectionRebuildBenchmarks } from './projection.bench';
import { readAllBenchmarks } from './read-all.bench';
import { storeScaleBenchmarks } from './store-scale.bench';
import { writePathBenchmarks } from './write-path.bench';
import { openBenchDatabase } from './bench-database';
import { printResults, type BenchOptions, type BenchResult } from './bench-harness';

/**
 * A checkpoint before each group, on a server: the append groups write over a million events, and Postgres
 * checkpoints every half gigabyte of WAL while they run (once a minute here); the dirty buffers they leave are
 * written and synced by the next checkpoint, inside whatever group runs then. Each group starts from a clean
 * slate instead. PGlite, and a role that may not checkpoint, go on as they are.
 */
const settleWriteBacklog = async (database: DatabaseConnection): Promise<void> => {
  if (database.kind !== 'server') return;
  await database.query('checkpoint', []).catch((error: unknown) => {
    process.stderr.write(
      `(no checkpoint between groups: ${error instanceof Error ? error.message : String(error)})\n`,
    );
  });
};

/**
 * `npm run bench [-- --quick] [-- --only http]`: JSON lines, then a table. Each figure is a ratio against a
 * baseline of the same run. `--only` runs the groups whose name starts with it, or with one of a comma-separated
 * list (append, write-path, read-all, store-scale, http, audit, projection-rebuild, projection-lag, http-query,
 * billing, export); a name that starts no group is an error.
 */
const main = async (): Promise<void> => {
  const options: BenchOptions = { quick: process.argv.includes('--quick') };
  // --full: the rebuild also at 1,000,000 events, to see its memory stay flat as the log grows.
  const full = process.argv.includes('--full');
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt === -1 ? [''] : (process.argv[onlyAt + 1] ?? '').split(',');
  const config = loadConfig();
  const database = await openBenchDatabase(config);
  process.stderr.write(`Benchmarking on ${database.description}${options.quick ? ' (quick)' : ''}\n`);
  const groups: readonly [string, () => Promise<BenchResult[]>][] = [
    ['append', () => appendBenchmarks(database, options)],
    ['write-path', () => writePathBenchmarks(database, options)],
    ['read-all', () => readAllBenchmarks(database, options)],
    [
      'store-scale',
      () =>
        storeScaleBenchmarks(
          database,
          options,
          config.database.kind === 'server' ? config.database.url : undefined,
        ),
    ],
    ['http', () => httpCommandBenchmarks(config, database, options)],
    ['audit', () => auditStateBenchmarks(database, options)],
    ['projection-rebuild', () => projectionRebuildBenchmarks(config, database, { ...options, full })],
    ['projection-lag', () => projectionLagBenchmarks(database, options)],
    ['http-query', () => httpQueryBenchmarks(config, database, options)],
    ['billing', () => billingClockBenchmarks(database, options)],
    ['export', () => exportCsvBenchmarks(config, database, options)],
  ];
  const chosen = (name: string) => only.some((prefix) => name.startsWith(prefix));
  const unknown = only.filter((prefix) => !groups.some(([name]) => name.startsWith(prefix)));
  const results: BenchResult[] = [];
  try {
    if (unknown.length > 0) {
      throw new Error(
        `--only ${unknown.join(',')}: no such group (${groups.map(([name]) => name).join(', ')})`,
      );
    }
    for (const [name, run] of groups) {
      if (!chosen(name)) continue;
      await settleWriteBacklog(database);
      results.push(...(await run()));
    }
  } finally {
    await database.close();
  }
  printResults(results, database.description);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

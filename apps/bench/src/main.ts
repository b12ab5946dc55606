import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { appendBenchmarks } from './append.bench';
import { readAllBenchmarks } from './read-all.bench';
import { writePathBenchmarks } from './write-path.bench';
import { openBenchDatabase } from './bench-database';
import { printResults, type BenchOptions, type BenchResult } from './bench-harness';

/** `npm run bench [-- --quick]`: JSON lines, then a table. Each figure is a ratio against a baseline of the same run. */
const main = async (): Promise<void> => {
  const options: BenchOptions = { quick: process.argv.includes('--quick') };
  const config = loadConfig();
  const database = await openBenchDatabase(config);
  process.stderr.write(`Benchmarking on ${database.description}${options.quick ? ' (quick)' : ''}\n`);
  const results: BenchResult[] = [];
  try {
    results.push(...(await appendBenchmarks(database, options)));
    results.push(...(await writePathBenchmarks(database, options)));
    results.push(...(await readAllBenchmarks(database, options)));
  } finally {
    await database.close();
  }
  printResults(results, database.description);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

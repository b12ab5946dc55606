/** One figure of `npm run bench`, printed as a JSON line. */
export type BenchResult = Readonly<{
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  note?: string;
}>;

export type BenchOptions = Readonly<{ quick: boolean }>;

/** Runs `operation` from `concurrency` workers for `durationMs`; returns operations per second. */
export const throughput = async (
  concurrency: number,
  durationMs: number,
  operation: (worker: number, iteration: number) => Promise<void>,
): Promise<number> => {
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  let completed = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let iteration = 0; performance.now() < deadline; iteration++) {
        await operation(worker, iteration);
        completed++;
      }
    }),
  );
  return completed / ((performance.now() - started) / 1000);
};

/** {@link throughput}, also timing each operation: operations per second and the p99 latency in ms. */
export const throughputAndLatency = async (
  concurrency: number,
  durationMs: number,
  operation: (worker: number, iteration: number) => Promise<void>,
): Promise<{ perSecond: number; p99Ms: number }> => {
  const latencies: number[] = [];
  const perSecond = await throughput(concurrency, durationMs, async (worker, iteration) => {
    const started = performance.now();
    await operation(worker, iteration);
    latencies.push(performance.now() - started);
  });
  return { perSecond, p99Ms: percentile(latencies, 0.99) };
};

/** The value below which `fraction` of the values lie (nearest rank). */
export const percentile = (values: readonly number[], fraction: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? NaN;
};

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Measures subject and baseline in alternating rounds (the machine is shared and noisy, so neither gets all
 * the quiet moments) and reports the medians and their ratio, always value / baseline: for a throughput
 * higher is better, for a duration lower is.
 */
export const compare = async (
  rounds: number,
  subject: () => Promise<number>,
  baseline: () => Promise<number>,
): Promise<{ value: number; baseline: number; ratio: number }> => {
  const subjectValues: number[] = [];
  const baselineValues: number[] = [];
  for (let round = 0; round < rounds; round++) {
    baselineValues.push(await baseline());
    subjectValues.push(await subject());
  }
  const value = median(subjectValues);
  const base = median(baselineValues);
  return { value, baseline: base, ratio: value / base };
};

/** Milliseconds one call of `operation` takes. */
export const duration = async (operation: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await operation();
  return performance.now() - started;
};

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

export const printResults = (results: readonly BenchResult[], database: string): void => {
  for (const result of results) {
    process.stdout.write(
      `${JSON.stringify({
        ...result,
        value: round(result.value),
        ...(result.baseline === undefined ? {} : { baseline: round(result.baseline) }),
        ...(result.ratio === undefined ? {} : { ratio: round(result.ratio, 3) }),
      })}\n`,
    );
  }
  process.stdout.write(`\nBenchmarks on ${database}\n`);
  const rows = results.map((r) => [
    r.name,
    `${round(r.value)} ${r.unit}`,
    r.baseline === undefined ? '—' : `${round(r.baseline)} ${r.unit}`,
    r.ratio === undefined ? '—' : round(r.ratio, 3).toString(),
    r.note ?? '',
  ]);
  const header = ['benchmark', 'value', 'baseline', 'ratio', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, ...rows]) {
    process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}\n`);
  }
};

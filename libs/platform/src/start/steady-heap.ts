import { setFlagsFromString } from 'node:v8';

/**
 * The V8 heap settings the API and the worker run with, applied before anything else is loaded (this module is
 * the first import of each app's main). Left to its defaults, V8 grows the young generation to 32 MB while the
 * app starts, and lets the old generation reach about four times its live size between full collections: a
 * long CSV export or catch-up, which promotes a steady trickle of short-lived pg rows, then takes the process
 * from ~110 MB to ~240 MB for no lasting gain. Here the young generation stays at its initial size and the old one
 * grows by at most half its live size, so memory follows what is alive (export.csv.rss in the bench), at the cost
 * of more frequent, short collections. The worker is started with `--min-semi-space-size=16` on top (package.json,
 * docker/): a rebuild allocates far faster than an export, and with the young generation at its initial 1 MB it
 * spent 40 % of its time collecting (a 200,000-event rebuild 23–33 s and 191–203 MB, against 19–20 s and 233–244 MB
 * with it); the API with `--min-semi-space-size=4` (at a thousand queries a second, collecting a 1 MB young
 * generation took 14 % of its time). V8 reads that flag only at start-up, so it cannot be set from here.
 */
export const STEADY_HEAP_FLAGS: readonly string[] = [
  '--semi-space-growth-factor=1',
  '--heap-growing-percent=50',
];

/** The flag's name (`--heap-growing-percent`) of `--heap-growing-percent=50`. */
const flagName = (flag: string): string => flag.split('=')[0]!;

/** Applies STEADY_HEAP_FLAGS but for those given to node on its command line: an operator's choice wins. */
export const applySteadyHeap = (execArgv: readonly string[] = process.execArgv): readonly string[] => {
  const given = new Set(execArgv.map(flagName).map((name) => name.replaceAll('_', '-')));
  const applied = STEADY_HEAP_FLAGS.filter((flag) => !given.has(flagName(flag)));
  for (const flag of applied) setFlagsFromString(flag);
  return applied;
};

applySteadyHeap();

/**
 * Waits `ms`, or less when `signal` aborts (a runner stopping wakes every loop at once) or, given `wakeUps`, when
 * one of the functions it holds meanwhile is called (an append waking the idle loops).
 */
export const abortableSleep = (ms: number, signal: AbortSignal, wakeUps?: Set<() => void>) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      wakeUps?.delete(done);
      signal.removeEventListener('abort', done);
      resolve();
    }
    wakeUps?.add(done);
    signal.addEventListener('abort', done);
  });

/** An error as the status rows keep it: its message, bounded. */
export const describeFailure = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).slice(0, 2000);

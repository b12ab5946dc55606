import type { EventEmitter } from 'node:events';
import type { EventSubscription, ReadAllOptions, RecordedEvent, SubscribeOptions } from './event-store.port';
import type { Position } from './position';

type PollingSubscriptionOptions = SubscribeOptions &
  Readonly<{
    readAll: (options: ReadAllOptions) => Promise<readonly RecordedEvent[]>;
    /** Emits `appended` when this process appends, so live delivery in one process needs no polling. */
    appended: EventEmitter;
    /** Bounds how late an event appended by another process is noticed. */
    pollIntervalMs: number;
  }>;

/**
 * Catch-up then live delivery over `readAll`: reads pages after the last delivered position until the log is
 * exhausted, then waits for an append in this process or the poll interval, and reads again. The position
 * only moves past delivered events, and `readAll` hands out only events that are final, so none is skipped.
 */
export const pollingSubscription = (options: PollingSubscriptionOptions): EventSubscription => {
  const batchSize = options.batchSize ?? 500;
  let after: Position | undefined = options.after;
  let closed = false;
  // Set by every local append, so one that lands while a page is being read is not waited out.
  let appendedSinceRead = false;
  let wake: (() => void) | undefined;
  const onAppended = (): void => {
    appendedSinceRead = true;
    wake?.();
  };
  options.appended.on('appended', onAppended);

  const waitForMore = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (appendedSinceRead || closed) return resolve();
      const timer = setTimeout(done, options.pollIntervalMs);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function* events(): AsyncGenerator<RecordedEvent> {
    try {
      while (!closed) {
        appendedSinceRead = false;
        const page = await options.readAll({ after, maxCount: batchSize, filter: options.filter });
        for (const event of page) {
          if (closed) return;
          after = event.position;
          yield event;
        }
        if (page.length < batchSize) await waitForMore();
      }
    } finally {
      options.appended.off('appended', onAppended);
    }
  }

  const iterator = events();
  return {
    [Symbol.asyncIterator]: () => iterator,
    close: async () => {
      closed = true;
      wake?.();
      await iterator.return(undefined);
    },
  };
};

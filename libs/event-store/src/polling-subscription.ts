import type { EventEmitter } from 'node:events';
import type { EventSubscription, ReadAllOptions, RecordedEvent, SubscribeOptions } from './event-store.port';
import { decodePosition, type Position } from './position';

type PollingSubscriptionOptions = SubscribeOptions &
  Readonly<{
    readAll: (options: ReadAllOptions) => Promise<readonly RecordedEvent[]>;
    /**
     * Emits `appended` when an append commits (this process's, or another's through LISTEN/NOTIFY), with the
     * appending transaction's id when known, so live delivery needs no polling.
     */
    appended: EventEmitter;
    /** Bounds how late an event appended by another process is noticed. */
    pollIntervalMs: number;
  }>;

/**
 * Catch-up then live delivery over `readAll`: reads pages after the last delivered position until the log is
 * exhausted, then waits for an append or the poll interval, and reads again. The position only moves past
 * delivered events, and `readAll` hands out only events that are final, so none is skipped. An append announced
 * with its transaction id that a read does not reach yet (an older transaction still holds the log back) is read
 * again after 1, 2, 4… ms rather than a whole poll interval later.
 */
export const pollingSubscription = (options: PollingSubscriptionOptions): EventSubscription => {
  const batchSize = options.batchSize ?? 500;
  let after: Position | undefined = options.after;
  let closed = false;
  // Set by every local append, so one that lands while a page is being read is not waited out.
  let appendedSinceRead = false;
  let wake: (() => void) | undefined;
  // The newest announced transaction not known to be read yet, and how long to wait before looking again.
  let awaited: bigint | undefined;
  let retryMs = 1;
  const onAppended = (transaction?: bigint): void => {
    if (transaction !== undefined && (awaited === undefined || transaction > awaited)) awaited = transaction;
    appendedSinceRead = true;
    wake?.();
  };
  options.appended.on('appended', onAppended);

  const nextWaitMs = (): number => {
    if (awaited !== undefined && after !== undefined && decodePosition(after).major >= awaited)
      awaited = undefined;
    if (awaited === undefined || retryMs > options.pollIntervalMs) {
      awaited = undefined;
      retryMs = 1;
      return options.pollIntervalMs;
    }
    const wait = retryMs;
    retryMs *= 2;
    return wait;
  };

  const waitForMore = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (appendedSinceRead || closed) return resolve();
      const timer = setTimeout(done, nextWaitMs());
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
          retryMs = 1;
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

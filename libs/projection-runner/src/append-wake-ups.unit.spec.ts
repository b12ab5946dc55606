import type { EventStore, EventSubscription, RecordedEvent } from '@app/event-store';
import { AppendWakeUps } from './append-wake-ups';

/** A store whose subscription delivers what the test pushes, and nothing else. */
const pushedStore = () => {
  const queued: RecordedEvent[] = [];
  let deliver: (() => void) | undefined;
  let closed = false;
  const subscription: EventSubscription = {
    close: () => {
      closed = true;
      deliver?.();
      return Promise.resolve();
    },
    async *[Symbol.asyncIterator]() {
      while (!closed) {
        const next = queued.shift();
        if (next) yield next;
        else await new Promise<void>((resolve) => (deliver = resolve));
      }
    },
  };
  const store = {
    headPosition: () => Promise.resolve(undefined),
    subscribe: () => subscription,
  } as unknown as EventStore;
  const push = (position: string) => {
    queued.push({ position } as RecordedEvent);
    deliver?.();
  };
  return { store, push };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('AppendWakeUps', () => {
  it('wakes a sleeper on an append, long before its sleep ends', async () => {
    const { store, push } = pushedStore();
    const wakeUps = new AppendWakeUps(store, 1_000);
    const abort = new AbortController();
    const watching = wakeUps.watch(abort.signal);
    await settle();
    let woken = false;
    const sleeping = wakeUps.sleep(60_000, abort.signal).then(() => (woken = true));
    await settle();
    expect(woken).toBe(false);
    push('0000000000000001');
    await sleeping;
    expect(woken).toBe(true);
    abort.abort();
    await wakeUps.close();
    await watching;
  });

  it('does not sleep at all when an append was heard after the mark was taken', async () => {
    const { store, push } = pushedStore();
    const wakeUps = new AppendWakeUps(store, 1_000);
    const abort = new AbortController();
    const watching = wakeUps.watch(abort.signal);
    await settle();
    const mark = wakeUps.mark;
    // Heard while the loop was still looking at the log, before it went to sleep.
    push('0000000000000002');
    await settle();
    expect(wakeUps.mark).toBe(mark + 1);
    const started = performance.now();
    await wakeUps.sleep(60_000, abort.signal, mark);
    expect(performance.now() - started).toBeLessThan(1_000);
    abort.abort();
    await wakeUps.close();
    await watching;
  });
});

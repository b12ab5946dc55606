import type { EventStore, EventSubscription, Position } from '@app/event-store';
import { abortableSleep } from './runner-loop';

/**
 * Idle loops that sleep until the next look at the log, or until an event is appended, whichever comes first:
 * `watch` follows the log from its head through the store's subscription (LISTEN/NOTIFY on Postgres, the server's
 * own on EventStoreDB) only to hear of appends, and each event it delivers (readable by then) wakes every sleeper.
 * A failure of the subscription (the database away) is retried after `retryMs`; meanwhile the loops still look on
 * their own when their sleep ends.
 */
export class AppendWakeUps {
  private readonly sleepers = new Set<() => void>();
  private subscription: EventSubscription | undefined;
  private heard = 0;

  constructor(
    private readonly store: EventStore,
    private readonly retryMs: number,
  ) {}

  /**
   * How many appends have been heard so far. A loop takes it before it looks at the log and gives it to `sleep`:
   * an append heard after its look began, while it was not asleep yet, then wakes it all the same.
   */
  get mark(): number {
    return this.heard;
  }

  /** Sleeps `ms`, or less when an event is appended meanwhile (or since `mark`) or `signal` aborts. */
  sleep(ms: number, signal: AbortSignal, mark?: number): Promise<void> {
    if (mark !== undefined && mark !== this.heard) return Promise.resolve();
    return abortableSleep(ms, signal, this.sleepers);
  }

  /** Wakes the sleepers on every append until `signal` aborts (then call `close`). */
  async watch(signal: AbortSignal): Promise<void> {
    let after: Position | undefined;
    while (!signal.aborted) {
      try {
        after ??= await this.store.headPosition();
        if (signal.aborted) return;
        this.subscription = this.store.subscribe(after === undefined ? {} : { after });
        for await (const event of this.subscription) {
          after = event.position;
          this.heard++;
          for (const wake of [...this.sleepers]) wake();
          if (signal.aborted) break;
        }
      } catch {
        await abortableSleep(this.retryMs, signal);
      } finally {
        await this.close();
      }
    }
  }

  /** Stops the subscription, so that `watch` returns once its signal has aborted. */
  async close(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.close().catch(() => undefined);
  }
}

import type { EventStore } from './event-store.port';
import type { Position } from './position';

export type HeadReachingOptions = Readonly<{ pollMs?: number; timeoutMs?: number }>;

/**
 * The readable head once it has reached `position`, by default the newest committed event (undefined when the
 * log is empty): a transaction still in flight holds the readable head behind events committed after it began, so
 * a caller that wants to read everything written so far waits for this first. Throws after `timeoutMs`.
 */
export const headReaching = async (
  store: EventStore,
  position?: Position,
  { pollMs = 5, timeoutMs = 60_000 }: HeadReachingOptions = {},
): Promise<Position | undefined> => {
  const target = position ?? (await store.lastCommittedPosition());
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = await store.headPosition();
    if (target === undefined || (head !== undefined && head >= target)) return head;
    if (Date.now() > deadline) throw new Error(`the log stays unreadable up to ${target}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
};

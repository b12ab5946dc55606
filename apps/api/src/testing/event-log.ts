import type { EventStore, RecordedEvent } from '@app/event-store';

const PAGE = 1_000;
const SETTLE_TIMEOUT_MS = 10_000;

/**
 * The whole global log as committed when called, read page by page: what a test compares before and after. On a
 * server, another test's transaction in flight may hide the newest events from readers for a moment; the read
 * goes on until it reaches them.
 */
export const readWholeLog = async (store: EventStore): Promise<RecordedEvent[]> => {
  const committed = await store.lastCommittedPosition();
  const events: RecordedEvent[] = [];
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const after = events.at(-1)?.position;
    const page = await store.readAll({ maxCount: PAGE, ...(after === undefined ? {} : { after }) });
    events.push(...page);
    if (page.length === PAGE) continue;
    const last = events.at(-1)?.position;
    if (committed === undefined || (last !== undefined && last >= committed)) return events;
    if (Date.now() > deadline) throw new Error(`the log stays short of ${committed} for readers`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

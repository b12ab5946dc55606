import type { EventStore, RecordedEvent } from '@app/event-store';

const PAGE = 1_000;

/** The whole global log, read page by page: what a test compares before and after. */
export const readWholeLog = async (store: EventStore): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for (;;) {
    const after = events.at(-1)?.position;
    const page = await store.readAll({ maxCount: PAGE, ...(after === undefined ? {} : { after }) });
    events.push(...page);
    if (page.length < PAGE) return events;
  }
};

import { randomUUID } from 'node:crypto';
import {
  headReaching,
  PostgresEventStore,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
} from '@app/event-store';
import { migrateToLatest } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { LogPages } from './log-pages';

const event = (n: number): NewEvent => ({
  id: randomUUID(),
  type: n % 2 === 0 ? 'Even' : 'Odd',
  data: { n },
  metadata: {
    actor: { kind: 'system', rule: 'test' },
    occurredAt: '2026-01-01T00:00:00.000Z',
    correlationId: 'c',
    causationId: 'c',
    schemaVersion: 1,
  },
});

/** The real store, counting the reads that reach the database. */
const countingReads = (store: EventStore) => {
  const reads: ReadAllOptions[] = [];
  const counted: EventStore = Object.assign(Object.create(store) as EventStore, {
    readAll: (options: ReadAllOptions = {}) => {
      reads.push(options);
      return store.readAll(options);
    },
  });
  return { counted, reads };
};

/** The head once every event appended so far is readable. */
const wholeLogReadable = async (store: EventStore) => (await headReaching(store))!;

/**
 * A store holding events 1…`count` (their data's `n`) on `streams` streams, every one readable, for `test`; the
 * database is closed afterwards.
 */
const withLog = async (
  count: number,
  streams: number,
  test: (store: EventStore, head: Awaited<ReturnType<typeof wholeLogReadable>>) => Promise<void>,
) => {
  const connection = await openTestDatabase();
  try {
    await migrateToLatest(connection.db);
    const store = PostgresEventStore.open(connection.db);
    for (let n = 1; n <= count; n++) await store.append(`s-${n % streams}`, [event(n)], 'any');
    await test(store, await wholeLogReadable(store));
  } finally {
    await connection.close();
  }
};

const numbers = (events: readonly { data: unknown }[]) => events.map((e) => (e.data as { n: number }).n);

describe('the log pages shared by the projections of a runner', () => {
  it('reads a page once for every projection at its place, from its start or its middle, and reaches the head', () =>
    withLog(10, 3, async (store, head) => {
      const all = await store.readAll();
      const { counted, reads } = countingReads(store);
      const pages = new LogPages(counted, { pageSize: 4, keptPages: 2 });

      const [first, same] = await Promise.all([pages.pageAfter(null), pages.pageAfter(null)]);
      expect(numbers(first.events)).toEqual([1, 2, 3, 4]);
      expect(same).toEqual(first);
      expect(first).toMatchObject({ through: all[3]!.position, atHead: false });
      // From the middle of a kept page: only the events after the place asked for.
      const middle = await pages.pageAfter(all[1]!.position);
      expect(numbers(middle.events)).toEqual([3, 4]);
      expect(middle.through).toBe(all[3]!.position);

      const second = await pages.pageAfter(first.through);
      expect(numbers(second.events)).toEqual([5, 6, 7, 8]);
      const last = await pages.pageAfter(second.through);
      expect(numbers(last.events)).toEqual([9, 10]);
      expect(last).toMatchObject({ through: head, atHead: true });
      // Each full page was read from the log once, though asked for three times and read ahead; only the short
      // one at the head may be read again (a read ahead of it is not kept).
      const readsAfter = (after: unknown) => reads.filter((read) => (read.after ?? null) === after).length;
      expect([readsAfter(null), readsAfter(all[3]!.position)]).toEqual([1, 1]);
      expect(reads.every((read) => read.maxCount === 4)).toBe(true);

      // The head is never kept: a later append is seen by the next reader.
      await store.append('s-9', [event(11)], 'any');
      const laterHead = await wholeLogReadable(store);
      const later = await pages.pageAfter(head);
      expect(numbers(later.events)).toEqual([11]);
      expect(later).toMatchObject({ through: laterHead, atHead: true });
      expect(await pages.pageAfter(later.through)).toEqual({
        events: [],
        through: later.through,
        atHead: true,
      });
    }));

  it('moves its readers as one convoy: the first waits while the pages it would drop are wanted behind it, and every page is read once', () =>
    withLog(24, 5, async (store) => {
      const { counted, reads } = countingReads(store);
      const pages = new LogPages(counted, { pageSize: 4, keptPages: 2, readerTimeoutMs: 60_000 });
      const settledWithin = async <T>(promise: Promise<T>, ms: number) =>
        Promise.race([
          promise.then(() => true),
          new Promise<false>((done) => setTimeout(() => done(false), ms)),
        ]);

      const firstOfSlow = await pages.pageAfter(null, 'slow');
      let fast = await pages.pageAfter(null, 'fast');
      fast = await pages.pageAfter(fast.through, 'fast');
      expect(numbers(fast.events)).toEqual([5, 6, 7, 8]);
      // Two pages kept, both still wanted by the slow reader: the fast one waits before reading a third.
      const third = pages.pageAfter(fast.through, 'fast');
      expect(await settledWithin(third, 150)).toBe(false);
      // The slow reader passes the first page: it can go, and the fast one reads on.
      const secondOfSlow = await pages.pageAfter(firstOfSlow.through, 'slow');
      expect(numbers((await third).events)).toEqual([9, 10, 11, 12]);
      expect(numbers(secondOfSlow.events)).toEqual([5, 6, 7, 8]);
      // A reader that leaves (failing, or held elsewhere) holds no one back.
      pages.leave('slow');
      let at = (await third).through;
      const seen: number[] = [];
      for (;;) {
        const page = await pages.pageAfter(at, 'fast');
        seen.push(...numbers(page.events));
        at = page.through;
        if (page.atHead) break;
      }
      expect(seen).toEqual([13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
      const fullPageReads = reads.map((read) => read.after ?? null);
      expect(new Set(fullPageReads).size).toBe(fullPageReads.length);
    }));

  it('forgets a reader that has not asked for a page within its timeout', () =>
    withLog(12, 2, async (store) => {
      const pages = new LogPages(store, { pageSize: 4, keptPages: 1, readerTimeoutMs: 300 });
      await pages.pageAfter(null, 'stalled');
      const first = await pages.pageAfter(null, 'moving');
      const started = Date.now();
      const second = await pages.pageAfter(first.through, 'moving');
      expect(numbers(second.events)).toEqual([5, 6, 7, 8]);
      // Held back until the stalled reader's timeout, not for ever.
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      const third = await pages.pageAfter(second.through, 'moving');
      expect(numbers(third.events)).toEqual([9, 10, 11, 12]);
    }));
});

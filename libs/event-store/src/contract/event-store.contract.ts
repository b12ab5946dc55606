import { randomUUID } from 'node:crypto';
import { ConcurrencyError, EventIdConflictError } from '../concurrency-error';
import type {
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '../event-store.port';
import { comparePositions, parsePosition, type Position } from '../position';
import { checkAgainstModel } from './event-store.model';

/** An append that has taken its place in the log but not committed yet. */
export type OpenAppend = Readonly<{ commit: () => Promise<AppendResult> }>;

/** What the contract suite needs from an adapter under test. */
export type EventStoreUnderTest = Readonly<{
  store: EventStore;
  /**
   * Performs an append inside a transaction that stays open until `commit` is called. Adapters without
   * transactions that span calls (EventStoreDB) append at `commit`.
   */
  beginAppend: (
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ) => Promise<OpenAppend>;
  close: () => Promise<void>;
  /**
   * Makes the next positions the store gives out start just below `value` (Postgres: restarts the sequence), so
   * the log crosses a power of ten inside one test. Adapters whose positions can't be steered leave it out.
   */
  restartPositionsNear?: (value: bigint) => Promise<void>;
}>;

const metadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  actor: { kind: 'system', rule: 'contract-test' },
  occurredAt: '2026-01-01T00:00:00.000Z',
  correlationId: randomUUID(),
  causationId: randomUUID(),
  schemaVersion: 1,
  ...overrides,
});

const event = (
  type = 'ThingHappened',
  data: unknown = { n: 1 },
  meta: Partial<EventMetadata> = {},
): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: metadata(meta),
});

/** A category no other test uses, so global reads can filter to one test's events. */
const freshCategory = (): string => `c${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const freshStream = (category = freshCategory()): string => `${category}-${randomUUID()}`;

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const expectConcurrencyError = async (
  promise: Promise<unknown>,
  expected: ExpectedRevision,
  actual: number | 'no_stream',
): Promise<void> => {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConcurrencyError);
  expect(error).toMatchObject({ expected, actual });
};

/** Collects what a subscription delivers until `count` events arrived (or the time runs out). */
const collect = async (
  store: EventStore,
  options: Parameters<EventStore['subscribe']>[0],
  count: number,
  timeoutMs = 10_000,
): Promise<RecordedEvent[]> => {
  const subscription = store.subscribe(options);
  const received: RecordedEvent[] = [];
  const timer = setTimeout(() => void subscription.close(), timeoutMs);
  try {
    for await (const recorded of subscription) {
      received.push(recorded);
      if (received.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    await subscription.close();
  }
  return received;
};

/**
 * The behaviour every EventStore adapter must have. Each adapter's spec calls this with a way to open the
 * store under test; the same assertions then run against PGlite, a Postgres server and EventStoreDB.
 */
export const describeEventStoreContract = (
  adapterName: string,
  open: () => Promise<EventStoreUnderTest>,
  capabilities: Readonly<{ steerablePositions?: boolean; oneTransactionAtATime?: boolean }> = {},
): void => {
  describe(`EventStore contract on ${adapterName}`, () => {
    let underTest: EventStoreUnderTest;
    let store: EventStore;

    beforeAll(async () => {
      underTest = await open();
      store = underTest.store;
    });

    afterAll(async () => {
      await underTest.close();
    });

    describe('append with an expected revision', () => {
      it('starts a stream at revision 0 and numbers events in order', async () => {
        const stream = freshStream();
        const result = await store.append(stream, [event('A'), event('B'), event('C')], 'no_stream');
        expect(result.nextExpectedRevision).toBe(2);
        const events = await store.readStream(stream);
        expect(events.map((e) => [e.type, e.revision, e.streamName])).toEqual([
          ['A', 0, stream],
          ['B', 1, stream],
          ['C', 2, stream],
        ]);
        expect(result.position).toBe(events[2]!.position);
      });

      it('appends when the stream is at the expected revision', async () => {
        const stream = freshStream();
        await store.append(stream, [event(), event()], 'no_stream');
        const result = await store.append(stream, [event('Next')], 1);
        expect(result.nextExpectedRevision).toBe(2);
      });

      it('refuses a stale revision with a concurrency error naming expected and actual', async () => {
        const stream = freshStream();
        await store.append(stream, [event(), event(), event()], 'no_stream');
        await expectConcurrencyError(store.append(stream, [event()], 1), 1, 2);
        await expectConcurrencyError(store.append(stream, [event()], 7), 7, 2);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('refuses a revision on a stream that does not exist', async () => {
        const stream = freshStream();
        await expectConcurrencyError(store.append(stream, [event()], 0), 0, 'no_stream');
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('refuses no_stream when the stream exists', async () => {
        const stream = freshStream();
        await store.append(stream, [event()], 'no_stream');
        await expectConcurrencyError(store.append(stream, [event()], 'no_stream'), 'no_stream', 0);
      });

      it('refuses stream_exists when the stream does not exist, and appends when it does', async () => {
        const stream = freshStream();
        await expectConcurrencyError(
          store.append(stream, [event()], 'stream_exists'),
          'stream_exists',
          'no_stream',
        );
        await store.append(stream, [event()], 'no_stream');
        const result = await store.append(stream, [event(), event()], 'stream_exists');
        expect(result.nextExpectedRevision).toBe(2);
      });

      it('appends with any whether or not the stream exists', async () => {
        const stream = freshStream();
        expect((await store.append(stream, [event()], 'any')).nextExpectedRevision).toBe(0);
        expect((await store.append(stream, [event()], 'any')).nextExpectedRevision).toBe(1);
      });

      it('checks the expectation without writing when given no events', async () => {
        const stream = freshStream();
        await expectConcurrencyError(store.append(stream, [], 'stream_exists'), 'stream_exists', 'no_stream');
        await store.append(stream, [event()], 'no_stream');
        expect((await store.append(stream, [], 0)).nextExpectedRevision).toBe(0);
        await expectConcurrencyError(store.append(stream, [], 3), 3, 0);
      });
    });

    describe('idempotent append by event id', () => {
      it('returns the first result and writes nothing when the same events are appended again', async () => {
        const stream = freshStream();
        const events = [event('A'), event('B')];
        const first = await store.append(stream, events, 'no_stream');
        await store.append(stream, [event('C')], first.nextExpectedRevision);
        expect(first.alreadyStored).toBeFalsy();
        for (const expected of ['no_stream', 'any', 'stream_exists', -1, 5] as const) {
          const again = await store.append(stream, events, expected);
          expect(again).toMatchObject(first);
          if (store.reportsAlreadyStored) expect(again.alreadyStored).toBe(true);
        }
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('refuses events whose ids were stored by a different append', async () => {
        const stream = freshStream();
        const stored = event('A');
        await store.append(stream, [stored], 'no_stream');
        await expect(store.append(stream, [stored, event('B')], 'any')).rejects.toBeInstanceOf(
          EventIdConflictError,
        );
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('metadata and reads', () => {
      it('keeps data and metadata with each event', async () => {
        const stream = freshStream();
        const meta: Partial<EventMetadata> = {
          actor: { kind: 'user', userId: 'u-1', email: 'ana@example.com', roles: ['customer'] },
          occurredAt: '2026-03-04T05:06:07.000Z',
          correlationId: 'corr-1',
          causationId: 'cause-1',
          commandName: 'DoThing',
          schemaVersion: 1,
        };
        const appended = event(
          'ThingHappened',
          { nested: { list: [1, 'two', null] }, text: 'ção "quoted"' },
          meta,
        );
        await store.append(stream, [appended], 'no_stream');
        const [recorded] = await store.readStream(stream);
        expect(recorded).toMatchObject({
          id: appended.id,
          type: 'ThingHappened',
          data: { nested: { list: [1, 'two', null] }, text: 'ção "quoted"' },
          metadata: meta,
          revision: 0,
          streamName: stream,
        });
        expect(parsePosition(recorded!.position)).toBe(recorded!.position);
      });

      it('reads an unknown stream as empty', async () => {
        expect(await store.readStream(freshStream())).toEqual([]);
      });

      it('reads forwards and backwards, from a revision, with a maximum count', async () => {
        const stream = freshStream();
        await store.append(
          stream,
          ['E0', 'E1', 'E2', 'E3', 'E4'].map((type) => event(type)),
          'no_stream',
        );
        const types = (events: readonly RecordedEvent[]) => events.map((e) => e.type);
        expect(types(await store.readStream(stream, { fromRevision: 2 }))).toEqual(['E2', 'E3', 'E4']);
        expect(types(await store.readStream(stream, { fromRevision: 1, maxCount: 2 }))).toEqual(['E1', 'E2']);
        expect(types(await store.readStream(stream, { direction: 'backwards' }))).toEqual([
          'E4',
          'E3',
          'E2',
          'E1',
          'E0',
        ]);
        expect(types(await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))).toEqual([
          'E4',
        ]);
        expect(types(await store.readStream(stream, { direction: 'backwards', fromRevision: 2 }))).toEqual([
          'E2',
          'E1',
          'E0',
        ]);
      });

      it('travels in time: reads the stream as it was at an instant', async () => {
        const stream = freshStream();
        await store.append(
          stream,
          [event('Opened', {}, { occurredAt: '2026-01-01T10:00:00.000Z' })],
          'no_stream',
        );
        await store.append(stream, [event('Changed', {}, { occurredAt: '2026-02-01T10:00:00.000Z' })], 0);
        await store.append(stream, [event('Closed', {}, { occurredAt: '2026-03-01T10:00:00.000Z' })], 1);
        const at = async (instant: string) =>
          (await store.readStream(stream, { until: new Date(instant) })).map((e) => e.type);
        expect(await at('2025-12-31T00:00:00.000Z')).toEqual([]);
        expect(await at('2026-01-01T10:00:00.000Z')).toEqual(['Opened']);
        expect(await at('2026-02-15T00:00:00.000Z')).toEqual(['Opened', 'Changed']);
        expect(await at('2027-01-01T00:00:00.000Z')).toEqual(['Opened', 'Changed', 'Closed']);
      });

      it('reads many streams at once, each in revision order, an unknown one as empty', async () => {
        const streams = Array.from({ length: 12 }, () => freshStream());
        // Interleaved appends, so the global log does not hold any stream's events together.
        for (let round = 0; round < 3; round++) {
          for (const [n, stream] of streams.entries()) {
            if (round > n % 3) continue;
            await store.append(stream, [event(`S${n}R${round}`)], round === 0 ? 'no_stream' : round - 1);
          }
        }
        const missing = freshStream();
        const asked = [streams[5]!, missing, ...streams.filter((_, n) => n !== 5)];
        const read = await store.readStreams(asked);
        expect([...read.keys()]).toEqual(asked);
        expect(read.get(missing)).toEqual([]);
        for (const stream of streams) expect(read.get(stream)).toEqual(await store.readStream(stream));
        const [third] = streams.slice(2);
        expect(read.get(third!)!.map((e) => [e.revision, e.type])).toEqual([
          [0, 'S2R0'],
          [1, 'S2R1'],
          [2, 'S2R2'],
        ]);
        expect(await store.readStreams([])).toEqual(new Map());
        expect([...(await store.readStreams([missing, missing])).entries()]).toEqual([[missing, []]]);
      });

      it('reads many streams as they were at an instant, each to its first later event', async () => {
        const early = freshStream();
        const late = freshStream();
        const outOfOrder = freshStream();
        const occurred = (occurredAt: string) => ({ occurredAt });
        await store.append(early, [event('E0', {}, occurred('2026-01-01T10:00:00.000Z'))], 'no_stream');
        await store.append(late, [event('L0', {}, occurred('2026-03-01T10:00:00.000Z'))], 'no_stream');
        await store.append(
          outOfOrder,
          [
            event('O0', {}, occurred('2026-01-01T10:00:00.000Z')),
            event('O1', {}, occurred('2026-03-01T10:00:00.000Z')),
            // Earlier than the event before it: still after the instant where its stream stood.
            event('O2', {}, occurred('2026-02-01T10:00:00.000Z')),
          ],
          'no_stream',
        );
        await store.append(early, [event('E1', {}, occurred('2026-02-01T10:00:00.000Z'))], 0);
        const at = async (instant: string) => {
          const read = await store.readStreams([early, late, outOfOrder], { until: new Date(instant) });
          return Object.fromEntries([...read].map(([name, events]) => [name, events.map((e) => e.type)]));
        };
        expect(await at('2025-12-31T00:00:00.000Z')).toEqual({ [early]: [], [late]: [], [outOfOrder]: [] });
        expect(await at('2026-02-15T00:00:00.000Z')).toEqual({
          [early]: ['E0', 'E1'],
          [late]: [],
          [outOfOrder]: ['O0'],
        });
        expect(await at('2026-03-01T10:00:00.000Z')).toEqual({
          [early]: ['E0', 'E1'],
          [late]: ['L0'],
          [outOfOrder]: ['O0', 'O1', 'O2'],
        });
        for (const instant of ['2026-01-01T10:00:00.000Z', '2026-02-15T00:00:00.000Z']) {
          const until = new Date(instant);
          const read = await store.readStreams([early, late, outOfOrder], { until });
          for (const stream of [early, late, outOfOrder])
            expect(read.get(stream)).toEqual(await store.readStream(stream, { until }));
        }
      });

      it('reads many streams for a fold: type, data and revision of what readStreams reads, at an instant too', async () => {
        const [first, second] = [freshStream(), freshStream()];
        const missing = freshStream();
        const occurred = (occurredAt: string) => ({ occurredAt });
        await store.append(first, [event('F0', { n: 0 }, occurred('2026-01-01T10:00:00.000Z'))], 'no_stream');
        await store.append(
          second,
          [event('S0', { n: 1 }, occurred('2026-01-01T11:00:00.000Z'))],
          'no_stream',
        );
        await store.append(first, [event('F1', { n: 2 }, occurred('2026-02-01T10:00:00.000Z'))], 0);
        const folded = (events: readonly RecordedEvent[]) =>
          events.map(({ type, data, revision }) => ({ type, data, revision }));
        const asked = [second, missing, first];
        for (const options of [{}, { until: new Date('2026-01-15T00:00:00.000Z') }]) {
          const read = await store.readStreams(asked, options);
          const toFold = await store.readStreamsToFold(asked, options);
          expect([...toFold.keys()]).toEqual(asked);
          expect(Object.fromEntries(toFold)).toEqual(
            Object.fromEntries([...read].map(([name, events]) => [name, folded(events)])),
          );
        }
        expect((await store.readStreamsToFold([first])).get(first)).toEqual([
          { type: 'F0', data: { n: 0 }, revision: 0 },
          { type: 'F1', data: { n: 2 }, revision: 1 },
        ]);
        expect(await store.readStreamsToFold([])).toEqual(new Map());
      });
    });

    describe('the global log', () => {
      it('orders every stream in one log with increasing positions, read after a position', async () => {
        const category = freshCategory();
        const start = await store.headPosition();
        const a = freshStream(category);
        const b = freshStream(category);
        await store.append(a, [event('A0')], 'no_stream');
        await store.append(b, [event('B0')], 'no_stream');
        await store.append(a, [event('A1')], 0);
        const log = await store.readAll({ after: start, filter: { streamCategories: [category] } });
        expect(log.map((e) => e.type)).toEqual(['A0', 'B0', 'A1']);
        const positions = log.map((e) => e.position);
        expect([...positions].sort(comparePositions)).toEqual(positions);
        expect(new Set(positions).size).toBe(3);
        const rest = await store.readAll({
          after: log[0]!.position,
          filter: { streamCategories: [category] },
        });
        expect(rest.map((e) => e.type)).toEqual(['B0', 'A1']);
        const head = await store.headPosition();
        expect(head !== undefined && comparePositions(head, log[2]!.position) >= 0).toBe(true);
      });

      it('filters by event type and by stream category', async () => {
        const mine = freshCategory();
        const other = freshCategory();
        const start = await store.headPosition();
        const typeA = `A${randomUUID().slice(0, 8)}`;
        await store.append(freshStream(mine), [event(typeA), event('Other')], 'no_stream');
        await store.append(freshStream(other), [event(typeA)], 'no_stream');
        const byType = await store.readAll({ after: start, filter: { eventTypes: [typeA] } });
        expect(byType.map((e) => e.streamName.split('-')[0])).toEqual([mine, other]);
        const byCategory = await store.readAll({ after: start, filter: { streamCategories: [mine] } });
        expect(byCategory.map((e) => e.type)).toEqual([typeA, 'Other']);
        const page = await store.readAll({
          after: start,
          maxCount: 1,
          filter: { streamCategories: [mine, other] },
        });
        expect(page).toHaveLength(1);
      });
    });

    describe('the global log across digit boundaries', () => {
      /**
       * The head once readers reach every event committed so far: on a server, a transaction of another test in
       * flight holds the readable head back for a moment after an append returns.
       */
      const settledHead = async (): Promise<Position | undefined> => {
        const committed = await store.lastCommittedPosition();
        for (const deadline = Date.now() + 10_000; ; await settle(10)) {
          const head = await store.headPosition();
          if (committed === undefined || (head !== undefined && comparePositions(head, committed) >= 0))
            return head;
          if (Date.now() > deadline)
            throw new Error(`the readable head stays at ${head} short of ${committed}`);
        }
      };

      /** Every event of `category` read in pages of `pageSize`, strictly after `start`. */
      const pageThrough = async (
        category: string | undefined,
        pageSize: number,
        start?: Position,
      ): Promise<RecordedEvent[]> => {
        const all: RecordedEvent[] = [];
        let after = start;
        for (;;) {
          const page = await store.readAll({
            ...(after ? { after } : {}),
            maxCount: pageSize,
            ...(category ? { filter: { streamCategories: [category] } } : {}),
          });
          if (page.length === 0) return all;
          expect(page.length).toBeLessThanOrEqual(pageSize);
          all.push(...page);
          after = page[page.length - 1]!.position;
        }
      };

      const expectStrictlyIncreasing = (events: readonly RecordedEvent[]): void => {
        for (let i = 1; i < events.length; i++) {
          expect(comparePositions(events[i - 1]!.position, events[i]!.position)).toBeLessThan(0);
        }
      };

      it('keeps the order of many events appended at once, paged or not, and heads at the last one', async () => {
        const category = freshCategory();
        const stream = freshStream(category);
        const start = await store.headPosition();
        const appended = Array.from({ length: 120 }, (_, n) => event('Numbered', { n }));
        const result = await store.append(stream, appended, 'no_stream');
        expect(await store.lastCommittedPosition()).toBe(result.position);
        expect(await settledHead()).toBe(result.position);
        const whole = await store.readAll({ after: start, filter: { streamCategories: [category] } });
        expect(whole.map((e) => e.revision)).toEqual(appended.map((_, n) => n));
        expect(whole.at(-1)?.position).toBe(result.position);
        expectStrictlyIncreasing(whole);
        for (const pageSize of [1, 3, 7, 11]) {
          const paged = await pageThrough(category, pageSize, start);
          expect(paged.map((e) => e.id)).toEqual(appended.map((e) => e.id));
        }
      });

      // Only where positions can be steered; elsewhere the 120-event append above crosses 10 and 100.
      if (capabilities.steerablePositions)
        it('orders positions that cross a power of ten, within an append and across appends', async () => {
          const restartPositionsNear = underTest.restartPositionsNear!;
          const category = freshCategory();
          const start = await store.headPosition();
          await restartPositionsNear(99_999_995n);
          const stream = freshStream(category);
          const first = Array.from({ length: 12 }, (_, n) => event('Numbered', { n }));
          await store.append(stream, first, 'no_stream');
          await restartPositionsNear(999_999_998n);
          const rest = Array.from({ length: 5 }, (_, n) => event('Numbered', { n: 12 + n }));
          let revision = 11;
          for (const one of rest) await store.append(stream, [one], revision++);
          const head = await settledHead();
          const expected = [...first, ...rest].map((e) => e.id);
          const whole = await store.readAll({ after: start, filter: { streamCategories: [category] } });
          expect(whole.map((e) => e.id)).toEqual(expected);
          expect(head).toBe(whole.at(-1)?.position);
          for (const pageSize of [1, 2, 3]) {
            expect((await pageThrough(category, pageSize, start)).map((e) => e.id)).toEqual(expected);
          }
        });

      it('pages the whole log in small pages exactly as one full read: increasing, no gap, no repeat', async () => {
        const category = freshCategory();
        for (let n = 0; n < 15; n++) {
          await store.append(
            freshStream(category),
            Array.from({ length: (n % 4) + 1 }, () => event('Filler')),
            'no_stream',
          );
        }
        const head = await store.headPosition();
        const full: RecordedEvent[] = [];
        let after: Position | undefined;
        for (;;) {
          const page = await store.readAll({ ...(after ? { after } : {}), maxCount: 5_000 });
          if (page.length === 0) break;
          full.push(...page);
          after = page[page.length - 1]!.position;
        }
        expectStrictlyIncreasing(full);
        expect(full.at(-1)?.position).toBe(head);
        for (const pageSize of [7, 50]) {
          const paged = await pageThrough(undefined, pageSize);
          expect(paged.map((e) => e.position)).toEqual(full.map((e) => e.position));
        }
      });
    });

    describe('against a plain model of the port', () => {
      it('agrees with the model over random appends, replays, stream reads, paged log reads and subscriptions', async () => {
        await checkAgainstModel(store, 30);
      }, 300_000);
    });

    describe('subscriptions', () => {
      it('catches up, then delivers live events, in order', async () => {
        const category = freshCategory();
        const start = await store.headPosition();
        await store.append(freshStream(category), [event('Before1'), event('Before2')], 'no_stream');
        const delivered = collect(store, { after: start, filter: { streamCategories: [category] } }, 4);
        await settle(50);
        await store.append(freshStream(category), [event('Live1')], 'no_stream');
        await store.append(freshStream(category), [event('Live2')], 'no_stream');
        expect((await delivered).map((e) => e.type)).toEqual(['Before1', 'Before2', 'Live1', 'Live2']);
      });

      it('resumes after a checkpoint without redelivering or losing anything', async () => {
        const category = freshCategory();
        const start = await store.headPosition();
        const stream = freshStream(category);
        await store.append(stream, [event('E0'), event('E1'), event('E2')], 'no_stream');
        const firstRun = await collect(store, { after: start, filter: { streamCategories: [category] } }, 2);
        const checkpoint: Position = firstRun[1]!.position;
        await store.append(stream, [event('E3')], 2);
        const secondRun = await collect(
          store,
          { after: checkpoint, filter: { streamCategories: [category] } },
          2,
        );
        expect([...firstRun, ...secondRun].map((e) => e.type)).toEqual(['E0', 'E1', 'E2', 'E3']);
      });

      it('filters live delivery by event type', async () => {
        const category = freshCategory();
        const start = await store.headPosition();
        const wanted = `W${randomUUID().slice(0, 8)}`;
        const delivered = collect(store, { after: start, filter: { eventTypes: [wanted] } }, 2);
        await store.append(freshStream(category), [event('Unwanted'), event(wanted, { i: 1 })], 'no_stream');
        await store.append(freshStream(category), [event(wanted, { i: 2 })], 'no_stream');
        expect((await delivered).map((e) => e.data)).toEqual([{ i: 1 }, { i: 2 }]);
      });

      // PGlite runs one transaction at a time: nothing commits behind one in flight.
      if (!capabilities.oneTransactionAtATime)
        it('names the newest committed event while an older append is in flight, and reads up to it after', async () => {
          const category = freshCategory();
          const start = await store.headPosition();
          const open = await underTest.beginAppend(freshStream(category), [event('SlowCommit')], 'no_stream');
          const fast = await store.append(freshStream(category), [event('FastCommit')], 'no_stream');
          expect(await store.lastCommittedPosition()).toBe(fast.position);
          const readable = await store.headPosition();
          expect(readable === undefined || comparePositions(readable, fast.position) <= 0).toBe(true);
          if (readable !== fast.position) expect(readable).toBe(start);
          const slow = await open.commit();
          const newest = [slow.position, fast.position].sort(comparePositions).at(-1);
          expect(await store.lastCommittedPosition()).toBe(newest);
          expect(await store.headPosition()).toBe(newest);
        });

      it('delivers an append that commits after a later one, skipping neither', async () => {
        const category = freshCategory();
        const start = await store.headPosition();
        const slow = event('SlowCommit');
        const fast = event('FastCommit');
        const delivered = collect(store, { after: start, filter: { streamCategories: [category] } }, 2);
        const open = await underTest.beginAppend(freshStream(category), [slow], 'no_stream');
        const fastAppend = store.append(freshStream(category), [fast], 'no_stream');
        await settle(300); // a server commits the later append now; the subscriber polls meanwhile
        await open.commit();
        await fastAppend;
        const events = await delivered;
        expect(events.map((e) => e.id).sort()).toEqual([slow.id, fast.id].sort());
        expect(comparePositions(events[0]!.position, events[1]!.position)).toBeLessThan(0);
        // Nothing is delivered twice, and a reader starting over finds the same log in the same order.
        const log = await store.readAll({ after: start, filter: { streamCategories: [category] } });
        expect(log.map((e) => e.id)).toEqual(events.map((e) => e.id));
      });
    });

    describe('concurrent writers', () => {
      it('lets exactly one of many writers win each revision, losing and duplicating nothing', async () => {
        const stream = freshStream();
        await store.append(stream, [event('Start')], 'no_stream');
        const writers = 16;
        const rounds = 5;
        for (let round = 0; round < rounds; round++) {
          const outcomes = await Promise.allSettled(
            Array.from({ length: writers }, (_, writer) =>
              store.append(stream, [event('Write', { round, writer })], round),
            ),
          );
          const won = outcomes.filter((o) => o.status === 'fulfilled');
          const lost = outcomes.filter((o) => o.status === 'rejected');
          expect(won).toHaveLength(1);
          for (const loss of lost) expect(loss.reason).toBeInstanceOf(ConcurrencyError);
        }
        const events = await store.readStream(stream);
        expect(events.map((e) => e.revision)).toEqual(Array.from({ length: rounds + 1 }, (_, i) => i));
      });

      it('keeps every write of writers that retry on conflicts', async () => {
        const stream = freshStream();
        const writers = 12;
        const writesEach = 5;
        const writer = async (id: number) => {
          for (let n = 0; n < writesEach; n++) {
            for (;;) {
              const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
              try {
                await store.append(stream, [event('Write', { id, n })], last ? last.revision : 'no_stream');
                break;
              } catch (error) {
                if (!(error instanceof ConcurrencyError)) throw error;
              }
            }
          }
        };
        await Promise.all(Array.from({ length: writers }, (_, id) => writer(id)));
        const events = await store.readStream(stream);
        expect(events).toHaveLength(writers * writesEach);
        expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
        const writes = events.map((e) => JSON.stringify(e.data));
        expect(new Set(writes).size).toBe(writers * writesEach);
      });

      it.each(['any', 'stream_exists'] as const)(
        'never refuses %s, however many writers append to one stream at once',
        async (expectation) => {
          const stream = freshStream();
          await store.append(stream, [event('Start')], 'no_stream');
          const writers = 32;
          const appendsEach = 50;
          const outcomes = await Promise.allSettled(
            Array.from({ length: writers }, async (_, writer) => {
              for (let n = 0; n < appendsEach; n++) {
                await store.append(stream, [event('Write', { writer, n })], expectation);
              }
            }),
          );
          expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
          const events = await store.readStream(stream);
          expect(events).toHaveLength(writers * appendsEach + 1);
          expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
          expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
        },
        120_000,
      );

      it('creates a stream exactly once when many writers expect no_stream', async () => {
        const stream = freshStream();
        const outcomes = await Promise.allSettled(
          Array.from({ length: 16 }, () => store.append(stream, [event('Created')], 'no_stream')),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('appends concurrent retries of the same events once, giving every caller the same result', async () => {
        const stream = freshStream();
        const events = [event('Once'), event('Twice')];
        const results = await Promise.all(
          Array.from({ length: 8 }, () => store.append(stream, events, 'any')),
        );
        const withoutFlag = results.map(({ nextExpectedRevision, position }) => ({
          nextExpectedRevision,
          position,
        }));
        expect(new Set(withoutFlag.map((r) => JSON.stringify(r))).size).toBe(1);
        if (store.reportsAlreadyStored) expect(results.filter((r) => !r.alreadyStored)).toHaveLength(1);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });
  });
};

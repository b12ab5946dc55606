import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { ConcurrencyError, EventIdConflictError } from '../concurrency-error';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '../event-store.port';
import { comparePositions, type Position } from '../position';

/**
 * A plain in-memory model of the port: streams as arrays, the global log as one array in append order. Each
 * run of the property works on streams of a fresh category, so the rest of the log does not disturb it.
 */
type Model = {
  readonly streams: Map<string, NewEvent[]>;
  readonly log: { stream: string; event: NewEvent }[];
  readonly appends: { stream: string; events: readonly NewEvent[]; result: AppendResult }[];
};

type Real = Readonly<{
  store: EventStore;
  category: string;
  streams: readonly string[];
  /** The log's head before the run: everything of the run is after it. */
  start: Position | undefined;
}>;

type StoreCommand = fc.AsyncCommand<Model, Real>;

const STREAMS_PER_RUN = 3;

const newEvent = (type: string): NewEvent => ({
  id: randomUUID(),
  type,
  data: { note: type },
  metadata: {
    actor: { kind: 'system', rule: 'model-test' },
    occurredAt: '2026-01-01T00:00:00.000Z',
    correlationId: 'model',
    causationId: 'model',
    schemaVersion: 1,
  },
});

const lastRevision = (model: Model, stream: string): number | 'no_stream' => {
  const events = model.streams.get(stream);
  return events && events.length > 0 ? events.length - 1 : 'no_stream';
};

const holds = (expected: ExpectedRevision, actual: number | 'no_stream'): boolean =>
  expected === 'any' || (expected === 'stream_exists' ? actual !== 'no_stream' : expected === actual);

const settled = <T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

type ExpectationChoice = 'current' | 'stale' | 'ahead' | 'no_stream' | 'stream_exists' | 'any';

const expectationFor = (choice: ExpectationChoice, actual: number | 'no_stream'): ExpectedRevision => {
  const current = actual === 'no_stream' ? -1 : actual;
  switch (choice) {
    case 'current':
      return actual;
    case 'stale':
      return Math.max(0, current - 1);
    case 'ahead':
      return current + 1;
    default:
      return choice;
  }
};

class AppendCommand implements StoreCommand {
  constructor(
    readonly streamIndex: number,
    readonly count: number,
    readonly choice: ExpectationChoice,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const stream = real.streams[this.streamIndex]!;
    const actual = lastRevision(model, stream);
    const expected = expectationFor(this.choice, actual);
    const events = Array.from({ length: this.count }, (_, n) => newEvent(`E${n}`));
    const outcome = await settled(real.store.append(stream, events, expected));
    if (!holds(expected, actual)) {
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) {
        expect(outcome.error).toBeInstanceOf(ConcurrencyError);
        expect(outcome.error).toMatchObject({ expected, actual });
      }
      return;
    }
    if (!outcome.ok) throw outcome.error;
    const previous = model.appends.at(-1)?.result.position;
    if (previous) expect(comparePositions(previous, outcome.value.position)).toBeLessThan(0);
    const stored = [...(model.streams.get(stream) ?? []), ...events];
    model.streams.set(stream, stored);
    model.log.push(...events.map((event) => ({ stream, event })));
    model.appends.push({ stream, events, result: outcome.value });
    expect(outcome.value.nextExpectedRevision).toBe(stored.length - 1);
    expect(outcome.value.alreadyStored).toBeFalsy();
  }
  toString = () => `append(${this.streamIndex}, ${this.count}, ${this.choice})`;
}

class ReplayCommand implements StoreCommand {
  constructor(
    readonly appendIndex: number,
    readonly choice: ExpectationChoice,
  ) {}
  check = (model: Readonly<Model>) => model.appends.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const original = model.appends[this.appendIndex % model.appends.length]!;
    const expected = expectationFor(this.choice, lastRevision(model, original.stream));
    const result = await real.store.append(original.stream, original.events, expected);
    expect({ revision: result.nextExpectedRevision, position: result.position }).toEqual({
      revision: original.result.nextExpectedRevision,
      position: original.result.position,
    });
    if (real.store.reportsAlreadyStored) expect(result.alreadyStored).toBe(true);
  }
  toString = () => `replay(${this.appendIndex}, ${this.choice})`;
}

class PartialReplayCommand implements StoreCommand {
  constructor(readonly appendIndex: number) {}
  check = (model: Readonly<Model>) => model.appends.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const original = model.appends[this.appendIndex % model.appends.length]!;
    const events = [...original.events.slice(0, 1), newEvent('Intruder')];
    const outcome = await settled(real.store.append(original.stream, events, 'any'));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toBeInstanceOf(EventIdConflictError);
  }
  toString = () => `partialReplay(${this.appendIndex})`;
}

class ReadStreamCommand implements StoreCommand {
  constructor(
    readonly streamIndex: number,
    readonly backwards: boolean,
    readonly from: number | undefined,
    readonly maxCount: number | undefined,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const stream = real.streams[this.streamIndex]!;
    const stored = model.streams.get(stream) ?? [];
    const from = this.from === undefined ? undefined : Math.min(this.from, stored.length + 1);
    const read = await real.store.readStream(stream, {
      direction: this.backwards ? 'backwards' : 'forwards',
      ...(from === undefined ? {} : { fromRevision: from }),
      ...(this.maxCount === undefined ? {} : { maxCount: this.maxCount }),
    });
    let expected = stored.map((event, revision) => ({ id: event.id, revision }));
    if (this.backwards) {
      expected = expected.reverse();
      if (from !== undefined) expected = expected.filter((e) => e.revision <= from);
    } else if (from !== undefined) {
      expected = expected.filter((e) => e.revision >= from);
    }
    if (this.maxCount !== undefined) expected = expected.slice(0, this.maxCount);
    expect(read.map((e) => ({ id: e.id, revision: e.revision }))).toEqual(expected);
    for (const event of read) expect(event.streamName).toBe(stream);
  }
  toString = () => `readStream(${this.streamIndex}, ${this.backwards}, ${this.from}, ${this.maxCount})`;
}

/** Reads a subset of the run's streams (in a chosen order, with a stream never written) in one call. */
class ReadStreamsCommand implements StoreCommand {
  constructor(readonly picks: readonly number[]) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const names = [...this.picks.map((index) => real.streams[index]!), `${real.category}-${randomUUID()}`];
    const read = await real.store.readStreams(names);
    expect([...read.keys()]).toEqual([...new Set(names)]);
    for (const [name, events] of read) {
      const stored = model.streams.get(name) ?? [];
      expect(events.map((e) => ({ id: e.id, revision: e.revision, stream: e.streamName }))).toEqual(
        stored.map((event, revision) => ({ id: event.id, revision, stream: name })),
      );
    }
  }
  toString = () => `readStreams(${this.picks.join(', ')})`;
}

/** Reads the run's events from the global log in pages of `pageSize`. */
const readRunLog = async (real: Real, pageSize: number): Promise<RecordedEvent[]> => {
  const all: RecordedEvent[] = [];
  let after = real.start;
  for (;;) {
    const page = await real.store.readAll({
      ...(after ? { after } : {}),
      maxCount: pageSize,
      filter: { streamCategories: [real.category] },
    });
    if (page.length === 0) return all;
    all.push(...page);
    after = page[page.length - 1]!.position;
  }
};

class ReadAllCommand implements StoreCommand {
  constructor(readonly pageSize: number) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const log = await readRunLog(real, this.pageSize);
    expect(log.map((e) => e.id)).toEqual(model.log.map((entry) => entry.event.id));
    expect(log.map((e) => e.streamName)).toEqual(model.log.map((entry) => entry.stream));
    for (let i = 1; i < log.length; i++) {
      expect(comparePositions(log[i - 1]!.position, log[i]!.position)).toBeLessThan(0);
    }
    const lastAppend = model.appends.at(-1);
    if (lastAppend) expect(log.at(-1)?.position).toBe(lastAppend.result.position);
  }
  toString = () => `readAll(pages of ${this.pageSize})`;
}

class HeadCommand implements StoreCommand {
  check = (model: Readonly<Model>) => model.appends.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    expect(await real.store.headPosition()).toBe(model.appends.at(-1)!.result.position);
  }
  toString = () => 'headPosition()';
}

class SubscribeCommand implements StoreCommand {
  constructor(readonly fromIndex: number) {}
  check = (model: Readonly<Model>) => model.log.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const log = await readRunLog(real, 500);
    const skip = this.fromIndex % log.length;
    const after = skip === 0 ? real.start : log[skip - 1]!.position;
    const expected = model.log.slice(skip).map((entry) => entry.event.id);
    const subscription = real.store.subscribe({
      ...(after ? { after } : {}),
      filter: { streamCategories: [real.category] },
      batchSize: 4,
    });
    const received: string[] = [];
    const timer = setTimeout(() => void subscription.close(), 10_000);
    try {
      for await (const event of subscription) {
        received.push(event.id);
        if (received.length >= expected.length) break;
      }
    } finally {
      clearTimeout(timer);
      await subscription.close();
    }
    expect(received).toEqual(expected);
  }
  toString = () => `subscribe(after #${this.fromIndex})`;
}

const expectation = fc.constantFrom<ExpectationChoice>(
  'current',
  'stale',
  'ahead',
  'no_stream',
  'stream_exists',
  'any',
);
const streamIndex = fc.nat({ max: STREAMS_PER_RUN - 1 });

const commands = [
  fc
    .tuple(streamIndex, fc.integer({ min: 1, max: 12 }), expectation)
    .map(([stream, count, choice]) => new AppendCommand(stream, count, choice)),
  fc.tuple(fc.nat(), expectation).map(([index, choice]) => new ReplayCommand(index, choice)),
  fc.nat().map((index) => new PartialReplayCommand(index)),
  fc
    .tuple(
      streamIndex,
      fc.boolean(),
      fc.option(fc.nat({ max: 40 }), { nil: undefined }),
      fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
    )
    .map(([stream, backwards, from, max]) => new ReadStreamCommand(stream, backwards, from, max)),
  fc.array(streamIndex, { maxLength: STREAMS_PER_RUN + 1 }).map((picks) => new ReadStreamsCommand(picks)),
  fc.integer({ min: 1, max: 9 }).map((size) => new ReadAllCommand(size)),
  fc.constant(new HeadCommand()),
  fc.nat().map((index) => new SubscribeCommand(index)),
];

/**
 * Random sequences of appends (every kind of expectation, replays, partial replays), stream reads, batched reads
 * of several streams, paged log reads, head reads and subscriptions, each checked against the model.
 */
export const checkAgainstModel = async (store: EventStore, numRuns: number): Promise<void> => {
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 40 }), async (sequence) => {
      const category = `m${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      const setup = async () => ({
        model: { streams: new Map(), log: [], appends: [] } satisfies Model,
        real: {
          store,
          category,
          streams: Array.from({ length: STREAMS_PER_RUN }, () => `${category}-${randomUUID()}`),
          start: await store.headPosition(),
        } satisfies Real,
      });
      await fc.asyncModelRun(setup, sequence);
    }),
    { numRuns },
  );
};

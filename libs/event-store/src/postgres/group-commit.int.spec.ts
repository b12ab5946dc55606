import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type DatabaseConnection } from '@app/read-store';
import { ConcurrencyError, EventIdConflictError } from '../concurrency-error';
import type { AppendResult, ExpectedRevision, NewEvent, RecordedEvent } from '../event-store.port';
import { decodePosition } from '../position';
import { appendSpecDatabases, newEvent, settled, testMetadata } from './append.fixtures.spec';
import { PostgresEventStore } from './postgres-event-store';

const databases = appendSpecDatabases('es_batches', 8);

describe.each(databases)('PostgresEventStore group commit on %s', (_name, open) => {
  let connection: DatabaseConnection;
  let store: PostgresEventStore;
  /** One batch in flight at a time, so what queues behind the first append goes as one batch. */
  let oneLane: PostgresEventStore;

  beforeAll(async () => {
    connection = await open();
    store = await PostgresEventStore.create(connection.db as Kysely<unknown>, {
      directQuery: connection.query,
    });
    oneLane = PostgresEventStore.open(connection.db as Kysely<unknown>, {
      directQuery: connection.query,
      maxBatchesInFlight: 1,
    });
  });

  afterAll(async () => {
    await oneLane.close();
    await store.close();
    await connection.close();
  });

  it('gives each append of one batch its own outcome: conflicts, replays, races and a bad value fail alone', async () => {
    const [a, b, c, d, e] = Array.from({ length: 5 }, () => `thing-${randomUUID()}`) as [
      string,
      string,
      string,
      string,
      string,
    ];
    await store.append(a, [newEvent('Created')], 'no_stream');
    const stored = [newEvent('Stored'), newEvent('AlsoStored')];
    const original = await store.append(c, stored, 'no_stream');
    const storedInD = newEvent('InD');
    await store.append(d, [storedInD], 'no_stream');

    // The first append goes alone; the others queue behind it and go together as the next batch.
    const [, ...outcomes] = await Promise.all([
      settled(oneLane.append(`thing-${randomUUID()}`, [newEvent('Opener')], 'no_stream')),
      settled(oneLane.append(a, [newEvent('Stale')], 5)),
      settled(oneLane.append(a, [newEvent('First')], 0)),
      settled(oneLane.append(a, [newEvent('Second')], 1)),
      settled(oneLane.append(b, [newEvent('Won')], 'no_stream')),
      settled(oneLane.append(b, [newEvent('Lost')], 'no_stream')),
      settled(oneLane.append(c, stored, 0)),
      settled(oneLane.append(d, [storedInD, newEvent('Intruder')], 'any')),
      settled(oneLane.append(e, [newEvent('Bad', { ...testMetadata, occurredAt: 'not an instant' })], 'any')),
      settled(oneLane.append(e, [newEvent('Good')], 'no_stream')),
    ]);
    const [stale, first, second, won, lost, replay, intruder, bad, good] = outcomes;

    expect(stale).toMatchObject({ ok: false, error: { expected: 5, actual: 0 } });
    expect(!stale.ok && stale.error).toBeInstanceOf(ConcurrencyError);
    expect(first).toMatchObject({ ok: true, value: { nextExpectedRevision: 1 } });
    expect(second).toMatchObject({ ok: true, value: { nextExpectedRevision: 2 } });
    expect(won).toMatchObject({ ok: true, value: { nextExpectedRevision: 0 } });
    expect(lost).toMatchObject({ ok: false, error: { expected: 'no_stream', actual: 0 } });
    expect(replay).toEqual({ ok: true, value: { ...original, alreadyStored: true } });
    expect(!intruder.ok && intruder.error).toBeInstanceOf(EventIdConflictError);
    expect(bad.ok).toBe(false);
    expect(good).toMatchObject({ ok: true, value: { nextExpectedRevision: 0 } });

    expect((await store.readStream(a)).map((event) => event.type)).toEqual(['Created', 'First', 'Second']);
    expect((await store.readStream(b)).map((event) => event.type)).toEqual(['Won']);
    expect((await store.readStream(c)).map((event) => event.type)).toEqual(['Stored', 'AlsoStored']);
    expect((await store.readStream(d)).map((event) => event.type)).toEqual(['InD']);
    expect((await store.readStream(e)).map((event) => event.type)).toEqual(['Good']);
  });

  it('gives each outcome to its own append in a batch of single events to distinct streams', async () => {
    const streams = Array.from({ length: 8 }, () => `thing-${randomUUID()}`);
    const [existing, replayed, intruded, missing, fresh, anyExisting, anyNew, exact] = streams as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    await store.append(existing, [newEvent('Created')], 'no_stream');
    const stored = newEvent('Stored');
    const original = await store.append(replayed, [stored], 'no_stream');
    const elsewhere = newEvent('Elsewhere');
    await store.append(`thing-${randomUUID()}`, [elsewhere], 'no_stream');
    await store.append(anyExisting, [newEvent('Created')], 'no_stream');
    await store.append(exact, [newEvent('Created')], 'no_stream');

    // Behind an opener, the eight queue together: one event each, eight streams, so one statement takes them.
    const [, ...outcomes] = await Promise.all([
      settled(oneLane.append(`thing-${randomUUID()}`, [newEvent('Opener')], 'no_stream')),
      settled(oneLane.append(existing, [newEvent('Again')], 'no_stream')),
      settled(oneLane.append(replayed, [stored], 'any')),
      settled(oneLane.append(intruded, [elsewhere], 'any')),
      settled(oneLane.append(missing, [newEvent('Missing')], 'stream_exists')),
      settled(oneLane.append(fresh, [newEvent('Fresh')], 'no_stream')),
      settled(oneLane.append(anyExisting, [newEvent('AnyOnExisting')], 'any')),
      settled(oneLane.append(anyNew, [newEvent('AnyOnNew')], 'any')),
      settled(oneLane.append(exact, [newEvent('Exact')], 0)),
    ]);
    const [again, replay, intruder, absent, created, onExisting, onNew, next] = outcomes;

    expect(again).toMatchObject({ ok: false, error: { expected: 'no_stream', actual: 0 } });
    expect(replay).toEqual({ ok: true, value: { ...original, alreadyStored: true } });
    expect(!intruder.ok && intruder.error).toBeInstanceOf(EventIdConflictError);
    expect(absent).toMatchObject({ ok: false, error: { expected: 'stream_exists', actual: 'no_stream' } });
    expect(created).toMatchObject({ ok: true, value: { nextExpectedRevision: 0 } });
    expect(onExisting).toMatchObject({ ok: true, value: { nextExpectedRevision: 1 } });
    expect(onNew).toMatchObject({ ok: true, value: { nextExpectedRevision: 0 } });
    expect(next).toMatchObject({ ok: true, value: { nextExpectedRevision: 1 } });
    // The four it wrote, in one transaction, their positions in the order they were submitted.
    const written = [created, onExisting, onNew, next].flatMap((outcome) =>
      outcome?.ok ? [outcome.value.position] : [],
    );
    expect(written).toHaveLength(4);
    expect(new Set(written.map((position) => decodePosition(position).major)).size).toBe(1);
    expect([...written].sort()).toEqual(written);

    expect((await store.readStream(existing)).map((event) => event.type)).toEqual(['Created']);
    expect((await store.readStream(replayed)).map((event) => event.type)).toEqual(['Stored']);
    expect(await store.readStream(intruded)).toEqual([]);
    expect(await store.readStream(missing)).toEqual([]);
    expect((await store.readStream(anyExisting)).map((event) => event.type)).toEqual([
      'Created',
      'AnyOnExisting',
    ]);
    expect((await store.readStream(exact)).map((event) => event.type)).toEqual(['Created', 'Exact']);
  });

  it('commits the appends that queued together in one transaction', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => oneLane.append(`thing-${randomUUID()}`, [newEvent()], 'no_stream')),
    );
    const transactions = new Set(results.slice(1).map((result) => decodePosition(result.position).major));
    expect(transactions.size).toBeLessThan(results.length - 1);
  });

  it('stores what a batch carries byte for byte: quotes, backslashes, accents, emoji, nesting and nulls', async () => {
    const awkward = (n: number) => ({
      quoted: `"Ação" n.º ${n} \\ C:\\pasta\\ {"não": [1]}`,
      lines: 'first\nsecond\ttabbed\r',
      emoji: '🚀 São Paulo — ü',
      nested: { list: [null, true, 0, -1.5, [], {}, ['"', '\\', "'"]], empty: '' },
      nothing: null,
    });
    const events = Array.from({ length: 12 }, (_, n) => ({
      ...newEvent('Awkward', { ...testMetadata, correlationId: `cor"re\\la-${n}` }),
      data: awkward(n),
    }));
    const streams = events.map(() => `thing-${randomUUID()}`);
    const results = await Promise.all(
      events.map((event, n) => oneLane.append(streams[n]!, [event], 'no_stream')),
    );
    // Most of them went in a batch of single events, the statement that carries the JSON arrays.
    expect(new Set(results.map((result) => decodePosition(result.position).major)).size).toBeLessThan(12);
    for (const [n, stream] of streams.entries()) {
      const [read] = await store.readStream(stream);
      expect(read?.data).toEqual(awkward(n));
      expect(read?.metadata.correlationId).toBe(`cor"re\\la-${n}`);
    }
  });

  it('keeps a bound store (a caller transaction) out of the batches', async () => {
    const stream = `thing-${randomUUID()}`;
    const db = connection.db as Kysely<unknown>;
    await expect(
      db.transaction().execute(async (trx) => {
        await PostgresEventStore.open(trx).append(stream, [newEvent()], 'no_stream');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await store.readStream(stream)).toEqual([]);
  });

  /** An append sent with the others at once, and what a plain model applying them in order says of it. */
  type Step = Readonly<{
    stream: number;
    count: number;
    expected: ExpectedRevision | 'replay';
    replayOf: number;
  }>;

  it('agrees with appending one by one in submission order, however many writers submit at once', async () => {
    const step = fc.record({
      stream: fc.nat({ max: 3 }),
      count: fc.integer({ min: 1, max: 3 }),
      expected: fc.oneof(
        fc.constantFrom<ExpectedRevision | 'replay'>('no_stream', 'any', 'stream_exists', 'replay'),
        fc.integer({ min: 0, max: 6 }),
      ),
      replayOf: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), async (steps: Step[]) => {
        const streams = Array.from({ length: 4 }, () => `model-${randomUUID()}`);
        const submitted: {
          stream: number;
          events: readonly NewEvent[];
          expected: ExpectedRevision;
          outcome: Promise<{ ok: true; value: AppendResult } | { ok: false; error: unknown }>;
        }[] = [];
        for (const [index, s] of steps.entries()) {
          const replayed = s.expected === 'replay' && index > 0 ? submitted[s.replayOf % index] : undefined;
          const stream = replayed ? replayed.stream : s.stream;
          const events = replayed ? replayed.events : Array.from({ length: s.count }, () => newEvent());
          const expected = s.expected === 'replay' ? 'any' : s.expected;
          const outcome = settled(store.append(streams[stream]!, events, expected));
          submitted.push({ stream, events, expected, outcome });
        }
        // The model: streams as lists of ids, applied in submission order.
        const model = streams.map(() => [] as string[]);
        const results = new Map<string, AppendResult>();
        for (const { stream, events, expected, outcome } of submitted) {
          const actual = await outcome;
          const ids = model[stream]!;
          const last = ids.length - 1;
          const key = events.map((event) => event.id).join();
          if (events.every((event) => ids.includes(event.id))) {
            expect(actual).toEqual({ ok: true, value: { ...results.get(key), alreadyStored: true } });
            continue;
          }
          const holds =
            expected === 'any' ||
            (expected === 'no_stream' && last === -1) ||
            (expected === 'stream_exists' && last >= 0) ||
            expected === last;
          if (!holds) {
            expect(actual).toMatchObject({ ok: false, error: { actual: last === -1 ? 'no_stream' : last } });
            continue;
          }
          ids.push(...events.map((event) => event.id));
          expect(actual).toMatchObject({ ok: true, value: { nextExpectedRevision: ids.length - 1 } });
          if (actual.ok) results.set(key, actual.value);
        }
        for (const [index, stream] of streams.entries()) {
          expect((await store.readStream(stream)).map((event) => event.id)).toEqual(model[index]);
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe.each(databases)('PostgresEventStore wake-ups across connections on %s', (_name, open) => {
  it('wakes a subscription of another store (its own pool) at once, however long its poll interval', async () => {
    const first = await open();
    const writer = await PostgresEventStore.create(first.db as Kysely<unknown>, { directQuery: first.query });
    // A second pool on the same schema; on PGlite, another store on the same database, sharing nothing else.
    const second =
      first.kind === 'server'
        ? await openDatabase({
            kind: 'server',
            url: process.env.DATABASE_URL!,
            schema: (await sql<{ s: string }>`select current_schema() as s`.execute(first.db)).rows[0]!.s,
            poolSize: 2,
          })
        : { ...first, close: () => Promise.resolve() };
    const reader = PostgresEventStore.open(second.db as Kysely<unknown>, {
      directQuery: second.query,
      listen: second.listen!,
      pollIntervalMs: 600_000,
    });
    const category = `w${randomBytes(6).toString('hex')}`;
    try {
      await writer.append(`${category}-1`, [newEvent('Before')], 'no_stream');
      const subscription = reader.subscribe({ filter: { streamCategories: [category] } });
      const received: string[] = [];
      const iterator = subscription[Symbol.asyncIterator]();
      received.push(((await iterator.next()).value as RecordedEvent).type);
      // Caught up; the reader's next read can only come from a notification.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await writer.append(`${category}-1`, [newEvent('After')], 0);
      received.push(((await iterator.next()).value as RecordedEvent).type);
      await subscription.close();
      expect(received).toEqual(['Before', 'After']);
    } finally {
      await reader.close();
      await writer.close();
      await second.close();
      await first.close();
    }
  });

  it('delivers an append committed before its LISTEN takes effect without waiting for a poll', async () => {
    const first = await open();
    const writer = await PostgresEventStore.create(first.db as Kysely<unknown>, { directQuery: first.query });
    const second =
      first.kind === 'server'
        ? await openDatabase({
            kind: 'server',
            url: process.env.DATABASE_URL!,
            schema: (await sql<{ s: string }>`select current_schema() as s`.execute(first.db)).rows[0]!.s,
            poolSize: 2,
          })
        : { ...first, close: () => Promise.resolve() };
    // The listening connection takes effect only when the test lets it, as a slow connection would.
    let letListen!: () => void;
    const listenAllowed = new Promise<void>((resolve) => (letListen = resolve));
    const reader = PostgresEventStore.open(second.db as Kysely<unknown>, {
      directQuery: second.query,
      listen: async (channel, onPayload) => {
        await listenAllowed;
        return second.listen!(channel, onPayload);
      },
      pollIntervalMs: 600_000,
    });
    const category = `s${randomBytes(6).toString('hex')}`;
    try {
      const head = await reader.headPosition();
      const subscription = reader.subscribe({
        ...(head ? { after: head } : {}),
        filter: { streamCategories: [category] },
      });
      const iterator = subscription[Symbol.asyncIterator]();
      const next = iterator.next();
      await new Promise((resolve) => setTimeout(resolve, 200)); // the subscription's first read finds nothing
      // Its notification goes to nobody: the reader is not listening yet.
      await writer.append(`${category}-1`, [newEvent('Early')], 'no_stream');
      letListen();
      expect(((await next).value as RecordedEvent).type).toBe('Early');
      await subscription.close();
    } finally {
      await reader.close();
      await writer.close();
      await second.close();
      await first.close();
    }
  });

  it('notifies once per appending transaction, not once per event', async () => {
    const connection = await open();
    const store = await PostgresEventStore.create(connection.db as Kysely<unknown>, {
      directQuery: connection.query,
    });
    const payloads: string[] = [];
    const unlisten = await connection.listen!('es_appended', (payload) => payloads.push(payload));
    try {
      await store.append(`thing-${randomUUID()}`, [newEvent(), newEvent(), newEvent()], 'no_stream');
      await Promise.all(
        Array.from({ length: 10 }, () => store.append(`thing-${randomUUID()}`, [newEvent()], 'no_stream')),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const transactions = new Set(payloads.map((payload) => payload.split(' ')[1]));
      expect(transactions.size).toBe(payloads.length);
      expect(payloads.length).toBeLessThan(11);
    } finally {
      await unlisten();
      await store.close();
      await connection.close();
    }
  });
});

import { Readable } from 'node:stream';
import {
  AccessDeniedError,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  FORWARDS,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  eventTypeFilter,
  streamNameFilter,
  type StreamingRead,
} from '@eventstore/db-client';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import { ConcurrencyError, StoreUnavailableError } from '../concurrency-error';
import type { EventMetadata } from '../event-store.port';
import { backoffDelay } from '../eventstoredb/eventstoredb-backoff';
import { isStoreUnavailability, toStoreError } from '../eventstoredb/eventstoredb-errors';
import { mapBounded } from '../eventstoredb/eventstoredb-read-streams';
import { allReadRequest, collect } from '../eventstoredb/eventstoredb-reads';
import {
  impliedFirstRevision,
  judgeStoredAppend,
  needsTailCheck,
  storedAt,
  type StoredEventRef,
} from '../eventstoredb/eventstoredb-stored-append';
import {
  fromEsdbPosition,
  isSystemRecord,
  matchesFilter,
  metadataOf,
  serverFilter,
  toEsdbPosition,
  UNKNOWN_ACTOR,
} from '../eventstoredb/eventstoredb-records';
import { comparePositions, encodePosition } from '../position';
import { UpcasterRegistry } from '../upcasting';

// The pure parts of the EventStoreDB adapter, run without a server. They live here rather than beside the
// adapter because jest.config.js leaves out every file under eventstoredb/ when no server is configured.

type ServiceError = ConstructorParameters<typeof NotLeaderError>[0];

/** A gRPC call's error as @grpc/grpc-js reports it (the client's error classes wrap one). */
const serviceError = (code: number, details: string, metadata: Record<string, string> = {}): ServiceError =>
  Object.assign(new Error(`${code} ${details}`), {
    code,
    details,
    metadata: { getMap: () => metadata },
  }) as unknown as ServiceError;

describe('EventStoreDB errors', () => {
  describe('mean the store is unavailable', () => {
    it.each([
      ['an unreachable server', new UnavailableError(serviceError(14, 'No connection established'))],
      ['a passed deadline', new DeadlineExceededError(serviceError(4, 'Deadline exceeded'))],
      ['the timeout of a batch append', new DeadlineExceededError()],
      ['a write that timed out on the server', new TimeoutError(serviceError(10, 'Operation timed out'))],
      ['a call the server cancelled', new CancelledError(serviceError(1, 'Cancelled on server'))],
      [
        'a follower',
        new NotLeaderError(
          serviceError(5, 'Leader info available', {
            exception: 'not-leader',
            'leader-endpoint-host': 'node2',
            'leader-endpoint-port': '2113',
          }),
        ),
      ],
      ['an unrecognised batch append answer', new UnknownError()],
      ['an internal server error', new UnknownError(serviceError(13, 'Received RST_STREAM'))],
      ['a raw gRPC error the client did not convert', serviceError(14, 'Connection dropped')],
      ['a cluster that cannot be discovered', new Error('Failed to discover after 10 attempts.')],
    ])('%s', (_, error) => {
      expect(isStoreUnavailability(error)).toBe(true);
      const mapped = toStoreError(error, 'append to service-1');
      expect(mapped).toBeInstanceOf(StoreUnavailableError);
      expect(mapped).toMatchObject({ cause: error });
      expect((mapped as Error).message).toContain('append to service-1');
    });
  });

  describe('are passed on as they are when the request itself is wrong', () => {
    it.each([
      [
        'a conflict',
        new WrongExpectedVersionError(undefined, { streamName: 's', current: 1n, expected: 0n }),
      ],
      ['a missing stream', new StreamNotFoundError(undefined, 's')],
      ['access denied', new AccessDeniedError(serviceError(16, 'Unauthenticated'))],
      ['an invalid argument', new UnknownError(serviceError(3, 'Invalid regex'))],
      ['a raw gRPC error about the request', serviceError(7, 'Permission denied')],
      ['our own conflict', new ConcurrencyError('s', 0, 1)],
      ['a bug', new TypeError('x is undefined')],
      ['a thrown string', 'Impossible situation where id is undefined in a recorded event'],
    ])('%s', (_, error) => {
      expect(isStoreUnavailability(error)).toBe(false);
      expect(toStoreError(error, 'append to s')).toBe(error);
    });
  });

  it("names the client's error when it has no message (a batch append's timeout)", () => {
    expect((toStoreError(new DeadlineExceededError(), 'append to s') as Error).message).toBe(
      'EventStoreDB could not append to s: DeadlineExceededError',
    );
  });

  it('keeps a StoreUnavailableError instead of wrapping it again', () => {
    const unavailable = new StoreUnavailableError('down');
    expect(toStoreError(unavailable, 'read s')).toBe(unavailable);
  });
});

describe('EventStoreDB positions', () => {
  it('convert to our form and back unchanged', () => {
    const esdb = { commit: 1_234_567_890_123n, prepare: 1_234_567_890_000n };
    expect(toEsdbPosition(fromEsdbPosition(esdb))).toEqual(esdb);
  });

  it('keep the order of the log: by commit, then by prepare', () => {
    const ordered = [
      { commit: 9n, prepare: 9n },
      { commit: 10n, prepare: 2n },
      { commit: 10n, prepare: 10n },
      { commit: 256n, prepare: 0n },
    ].map(fromEsdbPosition);
    expect([...ordered].reverse().sort(comparePositions)).toEqual(ordered);
  });
});

describe('EventStoreDB filters', () => {
  // The server evaluates these with .NET regexes; the constructs used (anchors, (?:…), alternation, escapes)
  // mean the same in JavaScript.
  const regexOf = (filter: ReturnType<typeof serverFilter>): RegExp =>
    new RegExp((filter as { regex: string }).regex);

  it('select exactly the listed event types on the server, metacharacters taken literally', () => {
    const filter = serverFilter({ eventTypes: ['Opened', 'Price.Changed'] });
    expect(filter.filterOn).toBe('eventType');
    const regex = regexOf(filter);
    expect(['Opened', 'Price.Changed'].every((type) => regex.test(type))).toBe(true);
    expect(['Reopened', 'Opened2', 'PriceXChanged'].some((type) => regex.test(type))).toBe(false);
  });

  it('select streams by category on the server: the name before its first dash, or the whole name', () => {
    const filter = serverFilter({ streamCategories: ['service', 'contract'] });
    expect(filter.filterOn).toBe('streamName');
    const regex = regexOf(filter);
    expect(['service-42', 'contract-7-b', 'service'].every((name) => regex.test(name))).toBe(true);
    expect(['services-1', 'xservice-1', '$ce-service'].some((name) => regex.test(name))).toBe(false);
  });

  it("leave EventStoreDB's own event types out on the server when nothing is selected", () => {
    const regex = regexOf(serverFilter(undefined));
    expect(regex.test('ServiceOpened')).toBe(true);
    expect(regex.test('$>')).toBe(false);
    expect(regex.test('$metadata')).toBe(false);
  });

  it('select both ways on the client, where the server could filter only one of them', () => {
    const filter = { eventTypes: ['Opened'], streamCategories: ['service'] };
    expect(matchesFilter({ type: 'Opened', streamId: 'service-1' }, filter)).toBe(true);
    expect(matchesFilter({ type: 'Opened', streamId: 'contract-1' }, filter)).toBe(false);
    expect(matchesFilter({ type: 'Closed', streamId: 'service-1' }, filter)).toBe(false);
    expect(matchesFilter({ type: 'Closed', streamId: 'contract-1' }, undefined)).toBe(true);
  });

  it("tell EventStoreDB's own events by a $ in the type or the stream", () => {
    expect(isSystemRecord({ type: '$>', streamId: '$ce-service' })).toBe(true);
    expect(isSystemRecord({ type: 'ServiceOpened', streamId: '$projections-x' })).toBe(true);
    expect(isSystemRecord({ type: '$streamDeleted', streamId: 'service-1' })).toBe(true);
    expect(isSystemRecord({ type: 'ServiceOpened', streamId: 'service-1' })).toBe(false);
  });
});

describe('EventStoreDB event metadata', () => {
  const id = '6f1c1b8e-3a54-4c1e-9a53-1d0e8f2b7c11';
  const created = new Date('2026-05-06T07:08:09.000Z');
  const complete: EventMetadata = {
    actor: { kind: 'user', userId: 'u-9', email: 'billing@provider.com', roles: ['billing'] },
    occurredAt: '2026-03-04T05:06:07.000Z',
    correlationId: 'corr-1',
    causationId: 'cause-1',
    commandName: 'SuspendService',
    commandId: 'cmd-1',
    commandDigest: 'digest-1',
    schemaVersion: 3,
  };
  const defaults: EventMetadata = {
    actor: UNKNOWN_ACTOR,
    occurredAt: created.toISOString(),
    correlationId: id,
    causationId: id,
    schemaVersion: 1,
  };

  it('is read as written by this adapter', () => {
    expect(metadataOf({ id, created, metadata: complete })).toEqual(complete);
    const user = { ...complete, actor: { kind: 'user', userId: 'u-1', email: 'ana@example.com' } };
    // An actor written before roles were recorded reads with none, rather than as unknown.
    expect(metadataOf({ id, created, metadata: user })).toEqual({
      ...user,
      actor: { ...user.actor, roles: [] },
    });
  });

  it.each([
    ['no metadata', undefined],
    ['binary metadata', new Uint8Array([1, 2, 3])],
    ['a JSON string', 'hello'],
    ['a JSON array', [1, 2]],
    ['other tools’ fields', { $correlationId: 'x', source: 'importer' }],
  ])('gets defaults for an event written by another tool: %s', (_, metadata) => {
    expect(metadataOf({ id, created, metadata })).toEqual(defaults);
  });

  it('replaces malformed fields by defaults and leaves malformed optional ones out', () => {
    const malformed = {
      actor: { kind: 'user' },
      occurredAt: 'yesterday',
      correlationId: 7,
      causationId: null,
      commandName: 42,
      commandId: { id: 'x' },
      commandDigest: false,
      schemaVersion: '2',
    };
    expect(metadataOf({ id, created, metadata: malformed })).toEqual(defaults);
    for (const schemaVersion of [0, -1, 1.5, Number.NaN]) {
      expect(metadataOf({ id, created, metadata: { ...complete, schemaVersion } }).schemaVersion).toBe(1);
    }
    const staffWithoutRoles = { ...complete, actor: { kind: 'staff', userId: 'u', roles: 'admin' } };
    expect(metadataOf({ id, created, metadata: staffWithoutRoles }).actor).toEqual(UNKNOWN_ACTOR);
  });

  it('survives an event whose created time is missing', () => {
    expect(metadataOf({ id, created: new Date(Number.NaN), metadata: undefined }).occurredAt).toBe(
      '1970-01-01T00:00:00.000Z',
    );
  });

  it('lets upcasting run on a foreign event instead of throwing', () => {
    const upcasters = new UpcasterRegistry([
      { eventType: 'Opened', fromVersion: 1, upcast: (data) => ({ data: { ...(data as object), v: 2 } }) },
    ]);
    const lifted = upcasters.upcast('Opened', { a: 1 }, metadataOf({ id, created, metadata: undefined }));
    expect(lifted).toMatchObject({ data: { a: 1, v: 2 }, metadata: { schemaVersion: 2 } });
  });
});

describe('EventStoreDB reads of $all', () => {
  it('ask the server to filter, from a position, for a number of selected events', () => {
    const request = allReadRequest({
      fromPosition: { commit: 1_200n, prepare: 1_100n },
      direction: FORWARDS,
      maxCount: 3,
      filter: eventTypeFilter({ regex: '^(?:Opened)$' }),
    });
    // Serialized and read back, as the server receives it.
    const options = ReadReq.deserializeBinary(request.serializeBinary()).getOptions()!;
    expect(options.getAll()!.getPosition()!.toObject()).toEqual({
      commitPosition: '1200',
      preparePosition: '1100',
    });
    expect(options.getReadDirection()).toBe(ReadReq.Options.ReadDirection.FORWARDS);
    expect(options.getCount()).toBe('3');
    expect(options.hasNoFilter()).toBe(false);
    const filter = options.getFilter()!;
    expect(filter.getEventType()!.getRegex()).toBe('^(?:Opened)$');
    expect(filter.hasStreamIdentifier()).toBe(false);
    expect(filter.hasCount()).toBe(true);
    expect(filter.getCheckpointintervalmultiplier()).toBe(1);
    expect(options.getUuidOption()!.hasString()).toBe(true);
    expect(options.getResolveLinks()).toBe(false);
  });

  it('read backwards from the end by stream name', () => {
    const request = allReadRequest({
      fromPosition: END,
      direction: BACKWARDS,
      maxCount: 1,
      filter: streamNameFilter({ prefixes: ['service-'], maxSearchWindow: 64 }),
    });
    const options = ReadReq.deserializeBinary(request.serializeBinary()).getOptions()!;
    expect(options.getAll()!.hasEnd()).toBe(true);
    expect(options.getReadDirection()).toBe(ReadReq.Options.ReadDirection.BACKWARDS);
    const filter = options.getFilter()!;
    expect(filter.getStreamIdentifier()!.getPrefixList()).toEqual(['service-']);
    expect(filter.hasEventType()).toBe(false);
    expect(filter.getMax()).toBe(64);
  });
});

describe('reading many streams a few at a time', () => {
  /** A read per item that stays pending until released, recording how many are pending at once. */
  const heldReads = () => {
    const pending = new Map<string, () => void>();
    let most = 0;
    const read = (name: string) =>
      new Promise<string>((resolve, reject) => {
        pending.set(name, () =>
          name.startsWith('bad') ? reject(new Error(name)) : resolve(name.toUpperCase()),
        );
        most = Math.max(most, pending.size);
      });
    const releaseAll = async () => {
      while (pending.size > 0) {
        const [name, release] = pending.entries().next().value as [string, () => void];
        pending.delete(name);
        release();
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    return { read, releaseAll, pending, mostAtOnce: () => most };
  };

  it('answers in input order with no more reads in flight than the bound', async () => {
    const names = Array.from({ length: 20 }, (_, n) => `s${n}`);
    const held = heldReads();
    const all = mapBounded(names, held.read, 3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(held.pending.size).toBe(3);
    await held.releaseAll();
    expect(await all).toEqual(names.map((name) => name.toUpperCase()));
    expect(held.mostAtOnce()).toBe(3);
    expect(await mapBounded([], held.read, 3)).toEqual([]);
  });

  it('fails with the first failing read and starts no other after it', async () => {
    const names = ['s0', 'bad1', ...Array.from({ length: 10 }, (_, n) => `t${n}`)];
    const started: string[] = [];
    const held = heldReads();
    const all = mapBounded(
      names,
      (name) => {
        started.push(name);
        return held.read(name);
      },
      2,
    );
    const failed = expect(all).rejects.toThrow('bad1');
    await held.releaseAll();
    await failed;
    expect(started).toEqual(['s0', 'bad1', 't0']);
  });
});

describe('collecting a client read', () => {
  /** Stands in for the client's ReadStream: a Readable whose gRPC call can be cancelled. */
  const clientRead = (source: Readable) => {
    const cancelled: string[] = [];
    const read = Object.assign(source, {
      cancel: async () => {
        cancelled.push('cancelled');
      },
    }) as unknown as StreamingRead<number>;
    return { read, cancelled };
  };

  it('returns every item and leaves a finished call alone', async () => {
    const { read, cancelled } = clientRead(Readable.from([1, 2, 3]));
    expect(await collect(read)).toEqual([1, 2, 3]);
    expect(cancelled).toEqual([]);
  });

  it('cancels the call when the read fails', async () => {
    const failing = new Readable({
      objectMode: true,
      read() {
        this.push(1);
        this.destroy(new Error('connection reset'));
      },
    });
    const { read, cancelled } = clientRead(failing);
    await expect(collect(read)).rejects.toThrow('connection reset');
    expect(cancelled).toEqual(['cancelled']);
  });
});

describe('telling a repeated append from a stream read backwards', () => {
  /** Events of a stream, oldest first, with made-up ids that name them. */
  const stream = (...ids: string[]): StoredEventRef[] =>
    ids.map((id, revision) => ({ id, revision, position: encodePosition(BigInt(100 + revision), 0n) }));
  const newestFirst = (events: StoredEventRef[], count = events.length) =>
    [...events].reverse().slice(0, count);
  const storedAs = (event: StoredEventRef) => ({
    kind: 'stored',
    result: { nextExpectedRevision: event.revision, position: event.position, alreadyStored: true },
  });

  it('answers with the earlier append, its last event, when all ids are stored', () => {
    const events = stream('x', 'a', 'b', 'y');
    expect(judgeStoredAppend(['a', 'b'], newestFirst(events), true, 'tail')).toEqual(storedAs(events[2]!));
    expect(judgeStoredAppend(['b', 'a'], newestFirst(events, 3), false, 'stream')).toEqual(
      storedAs(events[2]!),
    );
  });

  it('answers with the first copy of events a server wrote twice', () => {
    const events = stream('a', 'b', 'x', 'a', 'b');
    expect(judgeStoredAppend(['a', 'b'], newestFirst(events), true, 'tail')).toEqual(storedAs(events[1]!));
  });

  it('takes ids missing from the tail as not stored before an append, so that one stays cheap', () => {
    const events = stream('a', 'b', 'x', 'y', 'z');
    expect(judgeStoredAppend(['a', 'b'], newestFirst(events, 3), false, 'tail')).toEqual({ kind: 'absent' });
  });

  it('searches on to the start after the server refused an append', () => {
    const events = stream('a', 'b', 'x', 'y', 'z');
    expect(judgeStoredAppend(['a', 'b'], newestFirst(events, 3), false, 'stream')).toEqual({
      kind: 'read-further',
    });
    expect(judgeStoredAppend(['a', 'b'], newestFirst(events), true, 'stream')).toEqual(storedAs(events[1]!));
    expect(judgeStoredAppend(['q'], newestFirst(events), true, 'stream')).toEqual({ kind: 'absent' });
  });

  it('reads on when some ids are found and the rest may lie before what was read', () => {
    const events = stream('x', 'a', 'b', 'c');
    expect(judgeStoredAppend(['a', 'b', 'c'], newestFirst(events, 2), false, 'tail')).toEqual({
      kind: 'read-further',
    });
  });

  it('refuses ids stored only in part once the stream has been read to its start', () => {
    const events = stream('a', 'x');
    expect(judgeStoredAppend(['a', 'b'], newestFirst(events), true, 'tail')).toEqual({ kind: 'conflict' });
    expect(judgeStoredAppend(['a', 'b'], newestFirst(events), true, 'stream')).toEqual({ kind: 'conflict' });
  });

  it('finds nothing in an empty or missing stream', () => {
    expect(judgeStoredAppend(['a'], [], true, 'tail')).toEqual({ kind: 'absent' });
    expect(judgeStoredAppend(['a'], [], true, 'stream')).toEqual({ kind: 'absent' });
  });

  it('looks first where the same expectation put the earlier append: right after it', () => {
    expect(impliedFirstRevision('no_stream')).toBe(0);
    expect(impliedFirstRevision(-1)).toBe(0);
    expect(impliedFirstRevision(4)).toBe(5);
    expect(impliedFirstRevision('any')).toBeUndefined();
    expect(impliedFirstRevision('stream_exists')).toBeUndefined();
    const events = stream('x', 'a', 'b');
    expect(storedAt(['a', 'b'], events.slice(1))).toEqual(storedAs(events[2]!).result);
    expect(storedAt(['a', 'b'], events.slice(0, 2))).toBeUndefined();
    expect(storedAt(['a', 'b'], events.slice(1, 2))).toBeUndefined();
    expect(storedAt(['b', 'a'], events.slice(1))).toBeUndefined();
  });

  it('checks the tail before writing wherever the server would write a repeat again', () => {
    expect((['any', 'stream_exists', 0, 7] as const).every((expected) => needsTailCheck(expected))).toBe(
      true,
    );
    expect(needsTailCheck('no_stream')).toBe(false);
    expect(needsTailCheck(-1)).toBe(false);
  });
});

describe('the backoff between attempts', () => {
  const backoff = { initialDelayMs: 100, maxDelayMs: 1_000 };
  const least = () => 0;
  const most = () => 1;

  it('doubles from the initial delay', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, backoff, most))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the maximum, however many attempts failed', () => {
    expect([5, 6, 40, 5_000].map((attempt) => backoffDelay(attempt, backoff, most))).toEqual([
      1_000, 1_000, 1_000, 1_000,
    ]);
  });

  it('takes a random part off, at most half, so clients dropped together spread out', () => {
    expect(backoffDelay(3, backoff, least)).toBe(200);
    expect(backoffDelay(3, backoff, () => 0.5)).toBe(300);
    expect(backoffDelay(40, backoff, least)).toBe(500);
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, backoff)));
    expect(delays.size).toBeGreaterThan(1);
    expect([...delays].every((delay) => delay >= 200 && delay <= 400)).toBe(true);
  });
});

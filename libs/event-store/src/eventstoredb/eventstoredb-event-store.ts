import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
} from '@eventstore/db-client';
import {
  assertExpectedRevision,
  ConcurrencyError,
  EventIdConflictError,
  StoreUnavailableError,
} from '../concurrency-error';
import type {
  AppendResult,
  CurrentRevision,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  FoldableEvent,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamsOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../event-store.port';
import { comparePositions, encodePosition, type Position } from '../position';
import { UpcasterRegistry } from '../upcasting';
import { backoffDelay, type Backoff } from './eventstoredb-backoff';
import { isStoreUnavailability, toStoreError } from './eventstoredb-errors';
import { mapBounded } from './eventstoredb-read-streams';
import { collect, readAllFiltered, type AllRead } from './eventstoredb-reads';
import {
  impliedFirstRevision,
  judgeStoredAppend,
  needsTailCheck,
  storedAt,
  type StoredEventRef,
} from './eventstoredb-stored-append';
import {
  fromEsdbPosition,
  isSystemRecord,
  matchesFilter,
  metadataOf,
  serverFilter,
  toEsdbPosition,
  type StoredRecord,
} from './eventstoredb-records';

const PAGE_SIZE = 500;
/**
 * How many events beyond its own count the check before an append reads: a repeat mostly finds its original
 * at the stream's end, or behind a few events appended since.
 */
const TAIL_SLACK = 8;
/** Attempts of an append that keeps failing with the store unavailable, each after looking for its events. */
const APPEND_ATTEMPTS = 3;
const APPEND_BACKOFF: Backoff = { initialDelayMs: 100, maxDelayMs: 1_000 };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A subscription that lost its server, about to subscribe again. */
export type SubscriptionDrop = Readonly<{
  error: unknown;
  /** Drops in a row, without the server confirming a subscription in between: 1 for the first. */
  attempt: number;
  retryInMs: number;
  /** Where it resumes: after this position (the last event it delivered or passed over), or at the start. */
  resumeAfter: Position | undefined;
}>;

export type EventStoreDbOptions = Readonly<{
  upcasters?: UpcasterRegistry;
  /** Told of every dropped subscription before it subscribes again, to log it; nothing is printed otherwise. */
  onSubscriptionDrop?: (drop: SubscriptionDrop) => void;
  /**
   * How a dropped subscription comes back; after `maxAttempts` drops in a row its iteration fails with a
   * StoreUnavailableError. Default: 200 ms doubling to 30 s, 10 attempts (a minute or two).
   */
  resubscribe?: Readonly<Backoff & { maxAttempts: number }>;
}>;

const DEFAULT_RESUBSCRIBE = { initialDelayMs: 200, maxDelayMs: 30_000, maxAttempts: 10 };

/** What a subscription's close() shares with the generator delivering its events. */
type SubscriptionState = {
  closed: boolean;
  current?: AllStreamSubscription;
  wake?: () => void;
};

const waitUnlessClosed = (state: SubscriptionState, ms: number): Promise<void> =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      state.wake = undefined;
      resolve();
    }
    state.wake = done;
  });

const toEsdbExpected = (expected: ExpectedRevision): AppendExpectedRevision => {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return expected < 0 ? NO_STREAM : BigInt(expected);
};

const toCurrentRevision = (actual: bigint | string): CurrentRevision =>
  typeof actual === 'bigint' ? Number(actual) : 'no_stream';

const occurredAfter = (record: StoredRecord, until: Date): boolean =>
  new Date(metadataOf(record).occurredAt).getTime() > until.getTime();

/**
 * The event store on EventStoreDB through @eventstore/db-client, the production store of the design. Its
 * wrong-expected-version error becomes our ConcurrencyError, its errors of a store that cannot answer now our
 * StoreUnavailableError, and its (commit, prepare) positions our opaque form. Where the server would write a
 * repeated append again, the stream is read for its event ids first; subscriptions come back after a drop.
 * Event types and streams starting with `$` are EventStoreDB's own and never leave this adapter.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly reportsAlreadyStored = false;
  private readonly upcasters: UpcasterRegistry;
  private readonly onSubscriptionDrop: ((drop: SubscriptionDrop) => void) | undefined;
  private readonly resubscribe: Readonly<Backoff & { maxAttempts: number }>;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbOptions = {},
  ) {
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.onSubscriptionDrop = options.onSubscriptionDrop;
    this.resubscribe = options.resubscribe ?? DEFAULT_RESUBSCRIBE;
  }

  static connect(connectionString: string, options: EventStoreDbOptions = {}) {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async append(
    streamName: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    try {
      if (events.length === 0) return await this.appendNothing(streamName, expectedRevision);
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.appendOnce(streamName, events, expectedRevision);
        } catch (error) {
          if (!isStoreUnavailability(error)) throw error;
          // Maybe written: the deadline may have passed with the write still in the server's hands, or the
          // server held this append as a repeat racing its original (IdempotentNotReady) until it timed out.
          const original = await this.findAppendOf(streamName, events, expectedRevision);
          if (original) return original;
          if (attempt >= APPEND_ATTEMPTS) throw error;
          await pause(backoffDelay(attempt, APPEND_BACKOFF));
        }
      }
    } catch (error) {
      throw toStoreError(error, `append to ${streamName}`);
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    try {
      return await this.readStreamUnmapped(streamName, options);
    } catch (error) {
      throw toStoreError(error, `read ${streamName}`);
    }
  }

  async readStreams(
    streamNames: readonly string[],
    options: ReadStreamsOptions = {},
  ): Promise<ReadonlyMap<string, readonly RecordedEvent[]>> {
    const names = [...new Set(streamNames)];
    const read = options.until === undefined ? {} : { until: options.until };
    try {
      const events = await mapBounded(names, (name) => this.readStreamUnmapped(name, read));
      return new Map(names.map((name, index) => [name, events[index]!]));
    } catch (error) {
      throw toStoreError(error, `read ${names.length} streams`);
    }
  }

  /** EventStoreDB sends each event whole: the fold's share is taken from what {@link readStreams} reads. */
  async readStreamsToFold(
    streamNames: readonly string[],
    options: ReadStreamsOptions = {},
  ): Promise<ReadonlyMap<string, readonly FoldableEvent[]>> {
    const read = await this.readStreams(streamNames, options);
    return new Map(
      [...read].map(([name, events]) => [
        name,
        events.map(({ type, data, revision }) => ({ type, data, revision })),
      ]),
    );
  }

  async readAll(options: ReadAllOptions = {}): Promise<readonly RecordedEvent[]> {
    try {
      return await this.readAllUnmapped(options);
    } catch (error) {
      throw toStoreError(error, 'read $all');
    }
  }

  async headPosition(): Promise<Position | undefined> {
    try {
      return await this.headPositionUnmapped();
    } catch (error) {
      throw toStoreError(error, 'read the head of $all');
    }
  }

  /** EventStoreDB makes an append readable as it commits it: the head is the newest committed event. */
  lastCommittedPosition(): Promise<Position | undefined> {
    return this.headPosition();
  }

  subscribe(options: SubscribeOptions = {}): EventSubscription {
    const state: SubscriptionState = { closed: false };
    const iterator = this.follow(options, state);
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        state.closed = true;
        state.wake?.();
        await state.current?.unsubscribe();
        await iterator.return(undefined);
      },
    };
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private async appendOnce(
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (needsTailCheck(expected)) {
      const stored = await this.searchBackwards(streamName, events, 'tail', events.length + TAIL_SLACK);
      if (stored) return stored;
    }
    let result: EsdbAppendResult;
    try {
      result = await this.client.appendToStream(
        streamName,
        events.map((event) =>
          jsonEvent({
            id: event.id,
            type: event.type,
            data: event.data as Record<string, unknown>,
            metadata: event.metadata,
          }),
        ),
        { expectedRevision: toEsdbExpected(expected) },
      );
    } catch (error) {
      // A deleted (tombstoned) stream takes no more events: no expectation of a writer can hold for it.
      if (error instanceof StreamDeletedError) throw new ConcurrencyError(streamName, expected, 'no_stream');
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      return this.storedOrConflict(streamName, events, expected, toCurrentRevision(error.actualVersion));
    }
    if (!result.success) {
      // A client built with throwOnAppendFailure=false answers a conflict like this, and its batch append then
      // reports a wrong nextExpectedRevision (a boolean turned into 1n), so the stream is read instead.
      return this.storedOrConflict(streamName, events, expected, await this.currentRevision(streamName));
    }
    if (result.position) {
      return {
        nextExpectedRevision: Number(result.nextExpectedRevision),
        position: fromEsdbPosition(result.position),
      };
    }
    // An idempotent write acknowledged without a position: find where the events were stored.
    const original = await this.findAppendOf(streamName, events, expected);
    if (!original) throw new Error(`Append to ${streamName} returned no position`);
    return original;
  }

  /** The answer to an append the server refused: the earlier append of the same events, or the conflict. */
  private async storedOrConflict(
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    actual: CurrentRevision,
  ): Promise<AppendResult> {
    const original = await this.findAppendOf(streamName, events, expected);
    if (original) return original;
    throw new ConcurrencyError(streamName, expected, actual);
  }

  private async readStreamUnmapped(
    streamName: string,
    options: ReadStreamOptions,
  ): Promise<readonly RecordedEvent[]> {
    if (options.until) return this.readStreamUntil(streamName, options.until, options);
    const backwards = options.direction === 'backwards';
    const records = await this.collectStream(streamName, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision:
        options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
    return records.map((record) => this.toRecordedEvent(record));
  }

  private async readAllUnmapped(options: ReadAllOptions): Promise<readonly RecordedEvent[]> {
    const wanted = options.maxCount ?? 1_000;
    const filter = serverFilter(options.filter);
    const found: RecordedEvent[] = [];
    let after = options.after;
    while (found.length < wanted) {
      // A read from a position starts at it, not after it: one more, in case the first is that event.
      const maxCount = wanted - found.length + (after === undefined ? 0 : 1);
      const page = await this.readAllPage({
        fromPosition: after === undefined ? START : toEsdbPosition(after),
        direction: FORWARDS,
        maxCount,
        filter,
      });
      const readAfter = after;
      for (const record of page) {
        const position = this.positionOf(record);
        if (after !== undefined && comparePositions(position, after) <= 0) continue;
        after = position;
        if (isSystemRecord(record) || !matchesFilter(record, options.filter)) continue;
        found.push(this.toRecordedEvent(record));
        if (found.length === wanted) break;
      }
      // Fewer than asked: the server's filtered read went on to the end of the log.
      if (page.length < maxCount || after === readAfter) break;
    }
    return found;
  }

  private async headPositionUnmapped(): Promise<Position | undefined> {
    const filter = serverFilter(undefined);
    let before: Position | undefined;
    // The server skips `$` event types, so the first event is nearly always the answer; only one in a `$`
    // stream (written there by a projection) makes it read on backwards, a page at a time.
    for (let maxCount = 1; ; maxCount = PAGE_SIZE) {
      const page = await this.readAllPage({
        fromPosition: before === undefined ? END : toEsdbPosition(before),
        direction: BACKWARDS,
        maxCount,
        filter,
      });
      const readBefore = before;
      for (const record of page) {
        const position = this.positionOf(record);
        if (before !== undefined && comparePositions(position, before) >= 0) continue;
        before = position;
        if (!isSystemRecord(record)) return position;
      }
      if (page.length < maxCount || before === readBefore) return undefined;
    }
  }

  private async readAllPage(read: AllRead): Promise<StoredRecord[]> {
    const resolved = await collect(readAllFiltered(this.client, read));
    return resolved.flatMap(({ event }) => (event ? [event] : []));
  }

  /**
   * Catch-up then live delivery of $all. When the server drops the subscription (a restart, a leader change, a
   * keepalive timeout: any unavailability, or an end it was not asked for), it subscribes again from just after
   * the last event it delivered, after a jittered backoff, and tells onSubscriptionDrop.
   */
  private async *follow(options: SubscribeOptions, state: SubscriptionState): AsyncGenerator<RecordedEvent> {
    const filter = serverFilter(options.filter);
    const { maxAttempts, ...backoff } = this.resubscribe;
    let after = options.after;
    let drops = 0;
    while (!state.closed) {
      const subscription = this.client.subscribeToAll({
        fromPosition: after === undefined ? START : toEsdbPosition(after),
        filter,
      });
      state.current = subscription;
      subscription.once('confirmation', () => {
        drops = 0;
      });
      let dropped: unknown;
      try {
        for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
          drops = 0;
          const record = resolved.event;
          if (!record) continue;
          const position = this.positionOf(record);
          if (after !== undefined && comparePositions(position, after) <= 0) continue;
          after = position;
          if (isSystemRecord(record) || !matchesFilter(record, options.filter)) continue;
          yield this.toRecordedEvent(record);
        }
        dropped = new Error('EventStoreDB ended the subscription to $all');
      } catch (error) {
        if (!isStoreUnavailability(error)) throw error;
        dropped = error;
      } finally {
        state.current = undefined;
        // Ends the gRPC call when the iteration was left early; one that never started has nothing to cancel.
        await subscription.unsubscribe().catch(() => undefined);
      }
      if (state.closed) return;
      drops++;
      if (drops > maxAttempts) {
        const message = `EventStoreDB dropped the subscription to $all ${drops} times in a row`;
        throw new StoreUnavailableError(message, { cause: dropped });
      }
      const retryInMs = backoffDelay(drops, backoff);
      this.onSubscriptionDrop?.({ error: dropped, attempt: drops, retryInMs, resumeAfter: after });
      await waitUnlessClosed(state, retryInMs);
    }
  }

  private async readStreamUntil(
    streamName: string,
    until: Date,
    options: ReadStreamOptions,
  ): Promise<readonly RecordedEvent[]> {
    const asOf: StoredRecord[] = [];
    for (const record of await this.collectStream(streamName, { direction: FORWARDS, fromRevision: START })) {
      if (occurredAfter(record, until)) break;
      asOf.push(record);
    }
    const backwards = options.direction === 'backwards';
    const ordered = backwards ? asOf.reverse() : asOf;
    const from = options.fromRevision;
    const selected = ordered.filter(
      (record) => from === undefined || (backwards ? record.revision <= from : record.revision >= from),
    );
    return selected.slice(0, options.maxCount).map((record) => this.toRecordedEvent(record));
  }

  private async collectStream(
    streamName: string,
    options: Parameters<EventStoreDBClient['readStream']>[1],
  ): Promise<StoredRecord[]> {
    try {
      const resolved = await collect(this.client.readStream(streamName, options));
      return resolved.flatMap(({ event }) => (event ? [event] : []));
    } catch (error) {
      // A deleted stream reads as empty, like one that never existed.
      if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError) return [];
      throw error;
    }
  }

  /**
   * The earlier append of `events`, if any: first where the same expectation would have put it (one short
   * read, however long ago), then anywhere, reading the stream backwards to its start if need be.
   */
  private async findAppendOf(
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult | undefined> {
    const implied = impliedFirstRevision(expected);
    if (implied !== undefined) {
      const atImplied = await this.collectStream(streamName, {
        direction: FORWARDS,
        fromRevision: BigInt(implied),
        maxCount: events.length,
      });
      const stored = storedAt(
        events.map((event) => event.id),
        atImplied.map((record) => this.refOf(record)),
      );
      if (stored) return stored;
    }
    return this.searchBackwards(streamName, events, 'stream', PAGE_SIZE);
  }

  /** Reads `streamName` backwards, a page at a time, until {@link judgeStoredAppend} can tell. */
  private async searchBackwards(
    streamName: string,
    events: readonly NewEvent[],
    scope: 'tail' | 'stream',
    firstPageSize: number,
  ): Promise<AppendResult | undefined> {
    const ids = events.map((event) => event.id);
    const wanted = new Set(ids);
    const found: StoredEventRef[] = [];
    let from: bigint | typeof END = END;
    for (let maxCount = firstPageSize; ; maxCount = PAGE_SIZE) {
      const page = await this.collectStream(streamName, {
        direction: BACKWARDS,
        fromRevision: from,
        maxCount,
      });
      for (const record of page) if (wanted.has(record.id)) found.push(this.refOf(record));
      const oldest = page[page.length - 1];
      const reachedStart = !oldest || page.length < maxCount || oldest.revision === 0n;
      const verdict = judgeStoredAppend(ids, found, reachedStart, scope);
      if (verdict.kind === 'stored') return verdict.result;
      if (verdict.kind === 'conflict') throw new EventIdConflictError(streamName);
      if (verdict.kind === 'absent' || !oldest) return undefined;
      from = oldest.revision - 1n;
    }
  }

  private refOf(record: StoredRecord): StoredEventRef {
    return { id: record.id, revision: Number(record.revision), position: this.positionOf(record) };
  }

  private async lastRecord(streamName: string): Promise<StoredRecord | undefined> {
    const [last] = await this.collectStream(streamName, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    return last;
  }

  private async currentRevision(streamName: string): Promise<CurrentRevision> {
    const last = await this.lastRecord(streamName);
    return last ? Number(last.revision) : 'no_stream';
  }

  private async appendNothing(streamName: string, expected: ExpectedRevision): Promise<AppendResult> {
    const last = await this.lastRecord(streamName);
    const actual: CurrentRevision = last ? Number(last.revision) : 'no_stream';
    assertExpectedRevision(streamName, expected, actual);
    return {
      nextExpectedRevision: actual === 'no_stream' ? -1 : actual,
      position: last ? this.positionOf(last) : encodePosition(0n, 0n),
    };
  }

  private positionOf(record: StoredRecord): Position {
    if (!record.position) throw new Error(`Event ${record.id} was read without its log position`);
    return fromEsdbPosition(record.position);
  }

  private toRecordedEvent(record: StoredRecord): RecordedEvent {
    const { type, data, metadata } = this.upcasters.upcast(record.type, record.data, metadataOf(record));
    return {
      id: record.id,
      type,
      data,
      metadata,
      streamName: record.streamId,
      revision: Number(record.revision),
      position: this.positionOf(record),
    };
  }
}

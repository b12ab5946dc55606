import type { Actor } from '@app/domain';
import type { Position } from './position';

/** Kept with every event: who, when, why (correlation and causation) and which shape the data has. */
export type EventMetadata = Readonly<{
  actor: Actor;
  /** ISO-8601 instant from the injected clock: the business time of the event, used by time-travel reads. */
  occurredAt: string;
  correlationId: string;
  causationId: string;
  commandName?: string;
  /** Id of the command that produced the event (an HTTP Idempotency-Key, or a deterministic system id). */
  commandId?: string;
  /** Digest of the command's content, so a reused command id with a different command is recognised. */
  commandDigest?: string;
  /** Version of the event's data shape; upcasters lift older versions to the current one on read. */
  schemaVersion: number;
}>;

/** An event about to be appended. `id` is a UUID; appending the same ids again is a no-op. */
export type NewEvent = Readonly<{
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}>;

/** An event as stored: its stream, its revision in that stream and its position in the global log. */
export type RecordedEvent = Readonly<{
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  streamName: string;
  /** 0-based index of the event in its stream. */
  revision: number;
  position: Position;
}>;

/** What folding a stream needs of an event: its type, its data (upcast as any read's) and its revision. */
export type FoldableEvent = Pick<RecordedEvent, 'type' | 'data' | 'revision'>;

/**
 * What the writer expects the stream to be: exactly at `revision` (the revision of its last event),
 * not existing yet, existing with any revision, or anything at all.
 */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

/** The stream's state as seen when a conflict was detected. */
export type CurrentRevision = number | 'no_stream';

export type AppendResult = Readonly<{
  /** Revision of the stream's last event after the append: the expected revision for the next one. */
  nextExpectedRevision: number;
  /** Position of the last appended event in the global log. */
  position: Position;
  /**
   * True when every event was already stored by an earlier append (whose result this is) and nothing was
   * written. Reliable only where {@link EventStore.reportsAlreadyStored} says so.
   */
  alreadyStored?: boolean;
}>;

export type ReadStreamOptions = Readonly<{
  direction?: 'forwards' | 'backwards';
  /** First revision to read (inclusive); default the start (forwards) or the end (backwards). */
  fromRevision?: number;
  maxCount?: number;
  /**
   * Time travel: the stream as it was at this instant — its events up to (not including) the first one
   * whose `metadata.occurredAt` is later.
   */
  until?: Date;
}>;

export type ReadStreamsOptions = Readonly<{
  /** Time travel, as {@link ReadStreamOptions.until}: each stream as it was at this instant. */
  until?: Date;
}>;

/** Selects events of the global log by type and by stream category (`service` for `service-42`). */
export type EventFilter = Readonly<{
  eventTypes?: readonly string[];
  streamCategories?: readonly string[];
}>;

export type ReadAllOptions = Readonly<{
  /** Read events strictly after this position; default the start of the log. */
  after?: Position;
  maxCount?: number;
  filter?: EventFilter;
}>;

export type SubscribeOptions = Readonly<{
  /** Deliver events strictly after this position (a checkpoint); default the start of the log. */
  after?: Position;
  filter?: EventFilter;
  /** How many events each catch-up read fetches. */
  batchSize?: number;
}>;

/** Catch-up then live delivery of the global log, in order. Iterate it; close it to stop. */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

/**
 * The event store port. Streams are named `<category>-<id>`; every event also has a place in one totally
 * ordered global log that subscriptions follow without ever skipping an event.
 */
export interface EventStore {
  /**
   * Whether `append` always tells a repeated append (`alreadyStored`) from a new one. EventStoreDB may
   * acknowledge a repeated append as a plain success, so its adapter says no.
   */
  readonly reportsAlreadyStored: boolean;

  /**
   * Appends events to a stream if it is at the expected revision, atomically.
   * @throws ConcurrencyError when the stream is not where the writer expected it.
   * Appending event ids that are already stored returns the result of the append that stored them.
   */
  append(
    streamName: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult>;

  /** Events of one stream in revision order (or reverse); an unknown stream reads as empty. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<readonly RecordedEvent[]>;

  /**
   * Events of many streams at once, each stream's in revision order, as `readStream` would read each of them
   * forwards (to `until` if given). The answer has an entry for every name asked for, in the order asked, an
   * unknown stream's empty. Postgres reads them all in one query; EventStoreDB a few streams at a time.
   */
  readStreams(
    streamNames: readonly string[],
    options?: ReadStreamsOptions,
  ): Promise<ReadonlyMap<string, readonly RecordedEvent[]>>;

  /**
   * {@link readStreams} for a fold: each event's type, data and revision only, the same as `readStreams` answers,
   * with no metadata, id or position to transfer and parse (Postgres reads the metadata only when an upcaster
   * may need it).
   */
  readStreamsToFold(
    streamNames: readonly string[],
    options?: ReadStreamsOptions,
  ): Promise<ReadonlyMap<string, readonly FoldableEvent[]>>;

  /** A page of the global log in order; only committed events, and never one that a later read would put before it. */
  readAll(options?: ReadAllOptions): Promise<readonly RecordedEvent[]>;

  /**
   * Position of the newest event `readAll` can reach now, or undefined when the log is empty: every later read
   * of this store reaches it too (a reader may move its checkpoint there after a read that ended before it). Past
   * it, events may already be committed behind an older append still in flight (see `lastCommittedPosition`).
   */
  headPosition(): Promise<Position | undefined>;

  /**
   * Position of the newest committed event, even one `readAll` cannot reach yet because an older append is still
   * in flight: what a reader that must see everything committed so far waits for. At or past `headPosition`.
   */
  lastCommittedPosition(): Promise<Position | undefined>;

  subscribe(options?: SubscribeOptions): EventSubscription;

  close(): Promise<void>;
}

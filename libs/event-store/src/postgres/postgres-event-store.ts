import { EventEmitter } from 'node:events';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { assertExpectedRevision, ConcurrencyError, EventIdConflictError } from '../concurrency-error';
import type {
  AppendResult,
  CurrentRevision,
  EventFilter,
  EventMetadata,
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
import { pollingSubscription } from '../polling-subscription';
import { decodePosition, encodePosition, START_POSITION, type Position } from '../position';
import { streamCategory } from '../stream-name';
import { UpcasterRegistry } from '../upcasting';
import { isConnectionFailure, unlessUnavailable } from './connection-failure';
import { APPENDED_CHANNEL } from './event-store-batches.schema';
import { createEventStoreSchema } from './event-store.schema';
import { GroupCommit } from './group-commit';

type EventRow = {
  event_id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  stream_name: string;
  revision: number | string;
  transaction_text: string;
  sequence_text: string;
};

type FoldRow = Pick<EventRow, 'type' | 'data' | 'stream_name' | 'revision'>;

/** The row es_append_batch answers for one append (see its comment in event-store-batches.schema.ts). */
type BatchRow = {
  append_ordinal: number;
  outcome: 'appended' | 'replay' | 'id_conflict' | 'conflict';
  revision: number | string | null;
  transaction_text: string | null;
  position_text: string | null;
};

type PendingAppend = Readonly<{
  streamName: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
}>;

/** Whether every append of the batch is one event, each to a stream of its own. */
const isSingleEventsToDistinctStreams = (batch: readonly PendingAppend[]): boolean =>
  batch.every(({ events }) => events.length === 1) &&
  new Set(batch.map(({ streamName }) => streamName)).size === batch.length;

/**
 * One single-event append as the statements' parameters, in their order: stream, category, kind of expectation,
 * expected revision, then the event's id, type, data, metadata and occurrence.
 */
const singleEventRow = ({ streamName, events, expected }: PendingAppend): unknown[] => {
  const event = events[0]!;
  return [
    streamName,
    streamCategory(streamName),
    typeof expected === 'number' ? 'exact' : expected,
    typeof expected === 'number' ? expected : null,
    event.id,
    event.type,
    event.data,
    event.metadata,
    event.metadata.occurredAt,
  ];
};

/** Where data and metadata sit in {@link singleEventRow}: the parameters sent as JSON text. */
const JSON_PARAMETERS = new Set([6, 7]);

/** The lone single-event append's parameters (see APPEND_SINGLE_EVENT_STATEMENT). */
const singleEventValues = (append: PendingAppend): unknown[] =>
  singleEventRow(append).map((value, at) => (JSON_PARAMETERS.has(at) ? JSON.stringify(value) : value));

/**
 * A batch of single-event appends as the columns of APPEND_SINGLE_EVENTS_STATEMENT: an array per parameter, the
 * data and the metadata each one JSON array.
 */
const singleEventsColumns = (batch: readonly PendingAppend[]): unknown[] => {
  const rows = batch.map(singleEventRow);
  return rows[0]!.map((_, at) => {
    const column = rows.map((row) => row[at]);
    return JSON_PARAMETERS.has(at) ? JSON.stringify(column) : column;
  });
};

/** What became of one append of a batch: its row, or the error that kept it from getting one. */
type BatchOutcome = { row: BatchRow } | { error: unknown };

// The text forms are named apart from the columns: an ORDER BY naming an output column would sort as text.
const EVENT_COLUMNS = `event_id::text, type, data, metadata, stream_name, revision,
  transaction_id::text as transaction_text, global_position::text as sequence_text`;

const DEADLOCK_DETECTED = '40P01';
const MAX_REVISION = '9223372036854775807::bigint';

/**
 * Runs one statement below Kysely. `name` marks a statement worth preparing once per connection (the pg pool
 * does; PGlite ignores it).
 */
export type DirectQuery = <Row>(
  text: string,
  values: readonly unknown[],
  name?: string,
) => Promise<{ rows: Row[] }>;

/**
 * Many streams in one query, each in revision order (the primary key's order). Time travel keeps each stream's
 * events before its first one that occurred after the instant: a running `bool_or` over the stream, one scan.
 * Like a read of one stream, no visibility guard: a stream's events commit in revision order (writers to a stream
 * take turns until commit), so what a read of committed rows sees of a stream is always a whole prefix of it.
 */
const READ_STREAMS_STATEMENT = `select ${EVENT_COLUMNS} from es_events
  where stream_name = any($1::text[]) order by stream_name, revision`;
const READ_STREAMS_UNTIL_STATEMENT = `select ${EVENT_COLUMNS} from (
    select es_events.*, bool_or(occurred_at > $2::timestamptz)
      over (partition by stream_name order by revision) as past_instant
    from es_events where stream_name = any($1::text[])
  ) as asked
  where not past_instant order by stream_name, revision`;

/** {@link READ_STREAMS_STATEMENT} and its time travel with only what a fold needs (no metadata, id or position). */
const FOLD_COLUMNS = 'type, data, stream_name, revision';
const READ_STREAMS_TO_FOLD_STATEMENT = `select ${FOLD_COLUMNS} from es_events
  where stream_name = any($1::text[]) order by stream_name, revision`;
const READ_STREAMS_TO_FOLD_UNTIL_STATEMENT = `select ${FOLD_COLUMNS} from (
    select stream_name, revision, type, data, bool_or(occurred_at > $2::timestamptz)
      over (partition by stream_name order by revision) as past_instant
    from es_events where stream_name = any($1::text[])
  ) as asked
  where not past_instant order by stream_name, revision`;

/**
 * The first transaction id a reader may not pass: the oldest transaction in flight that could still write to this
 * database's log, or the next id to be assigned if none is. `pg_snapshot_xmin` alone counts the transactions of
 * every database on the server, so one left open in another database (another application, a test run, a psql
 * session) held every subscriber here for as long as it stayed open. A transaction whose backend is connected to
 * another database can never write here and is passed over; any other in-flight id stays a bound (one that ends
 * between the snapshot and the look at the backends is not found among the other databases', so it still counts).
 * Read with the statement's own snapshot, the one its rows come from; pg_stat_activity's ids are 32 bits, the
 * snapshot's 64 (epoch above), and ids in flight are unique in their low 32 bits.
 */
export const READABLE_BOUND = `(select coalesce(min(in_flight), pg_snapshot_xmax(pg_current_snapshot()))
    from pg_snapshot_xip(pg_current_snapshot()) as in_flight
    where in_flight::text::bigint % 4294967296 not in (
      select elsewhere.backend_xid::text::bigint from pg_stat_get_activity(null) as elsewhere
      where elsewhere.backend_xid is not null
        and elsewhere.datid <> (select oid from pg_database where datname = current_database())))`;

const APPEND_BATCH_STATEMENT = `select append_ordinal, outcome, revision, transaction_text, position_text
  from es_append_batch($1::jsonb) order by append_ordinal`;

const APPEND_ONE_STATEMENT = `select outcome, revision, transaction_text, position_text
  from es_append_one($1, $2, $3, $4::jsonb)`;

/**
 * The events' data and metadata go as one JSON array each, unpacked into the function's jsonb[] here: as text[]
 * of JSON, the driver escaped every quote of every event into an array literal, a tenth of the write path's CPU.
 */
const APPEND_SINGLE_EVENTS_STATEMENT = `select append_ordinal, outcome, revision, transaction_text, position_text
  from es_append_single_events($1, $2, $3, $4, $5, $6,
    array(select d from jsonb_array_elements($7::jsonb) with ordinality as a(d, n) order by n),
    array(select m from jsonb_array_elements($8::jsonb) with ordinality as a(m, n) order by n), $9)`;

/**
 * The lone single-event append (a lone writer's every append): `es_append_single_events` for a batch of one, as
 * a plain statement on plain parameters, without the sort and the materialised lock step a batch needs (0.7 ms
 * where the function takes 1.3 on one append; a raw INSERT 0.6). The lock is taken in the row's FROM, so the row
 * is inserted only once it is held; no row answered means not appended, as from the function.
 */
const APPEND_SINGLE_EVENT_STATEMENT = `with appended as (
    insert into es_events as e (stream_name, stream_category, revision, event_id, type, data, metadata, occurred_at)
    select $1, $2, head.next, $5::uuid, $6, $7::jsonb, $8::jsonb, $9::timestamptz
    from (select pg_advisory_xact_lock(1702, hashtext($1))) as stream_lock,
      lateral (select coalesce((select h.revision from es_events h where h.stream_name = $1
        order by h.revision desc limit 1), -1) + 1 as next) as head
    where case $3::text when 'any' then true when 'no_stream' then head.next = 0
      when 'stream_exists' then head.next > 0 else head.next = $4::bigint + 1 end
    on conflict do nothing
    returning e.revision, e.transaction_id, e.global_position)
  select 1 as append_ordinal, 'appended' as outcome, revision, transaction_id::text as transaction_text,
    global_position::text as position_text,
    pg_notify('${APPENDED_CHANNEL}', current_schema() || ' ' || transaction_id::text) as notified
  from appended`;

/** Receives the notifications of a Postgres channel; the function it answers stops listening. */
export type NotificationListener = (
  channel: string,
  onPayload: (payload: string) => void,
) => Promise<() => Promise<void>>;

export type PostgresEventStoreOptions = Readonly<{
  upcasters?: UpcasterRegistry;
  /**
   * The append hot path skips Kysely's query pipeline when given a direct query function: on a busy server
   * that pipeline's CPU cost per call is a fifth of the throughput.
   */
  directQuery?: DirectQuery;
  /**
   * How often a live subscription looks for events appended by other processes: the fallback when
   * `listen` is given (default 5 s), the only way otherwise (default 100 ms).
   */
  pollIntervalMs?: number;
  /**
   * LISTEN on the database, so subscriptions wake as soon as any process commits an append (each appending
   * transaction notifies once). The pg pool's connection factory and PGlite provide it.
   */
  listen?: NotificationListener;
  /**
   * Group commit (on by default outside a caller's transaction): appends that arrive while one is in flight go
   * together in the next round trip and transaction, at most this many. 1 sends every append alone.
   */
  maxBatchSize?: number;
  /**
   * How many batches may be in flight at once, each on a connection of its own (default 2: one batch executes
   * while the other waits for its commit to reach the disk; 1 sends the next batch only when the previous one
   * has returned); appends to one stream are never in two at once, so they apply in the order they were made.
   */
  maxBatchesInFlight?: number;
}>;

const DEFAULT_MAX_BATCH_SIZE = 256;
const DEFAULT_BATCHES_IN_FLIGHT = 2;

const errorCode = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

type PositionRow = { transaction_text: string; sequence_text: string };

const positionOf = (row: PositionRow): Position =>
  encodePosition(BigInt(row.transaction_text), BigInt(row.sequence_text));

/**
 * The event store on Postgres through Kysely: a pg pool on a server, or PGlite in process.
 * Appends go by group commit: one `es_append_batch` call (one round trip, one transaction) carries every append
 * that arrived while the previous call was in flight, each with its own outcome; a batch of one, what a lone
 * writer sends, calls the leaner `es_append_one`. Writers to one stream take turns
 * on an advisory lock, so expectations hold exactly even when writers race.
 */
export class PostgresEventStore implements EventStore {
  readonly reportsAlreadyStored = true;
  private readonly appended = new EventEmitter();
  private readonly upcasters: UpcasterRegistry;
  private readonly pollIntervalMs: number;
  private readonly directQuery: DirectQuery;
  private readonly batches: GroupCommit<PendingAppend, BatchOutcome> | undefined;
  private readonly listen: NotificationListener | undefined;
  private listening: Promise<(() => Promise<void>) | undefined> | undefined;
  private subscribers = 0;
  /**
   * Every transaction id below it had ended, or was another database's, when this store last answered a head: a
   * later read never stops before it. Each statement works out the readable bound anew, and one that looks at the
   * other databases' backends just as one of their transactions ends can no longer tell whose it was and stops
   * there; without the floor a read just after a head stopped before it, and a reader that moved its checkpoint
   * to the head skipped the events between (a billing agenda lost an invoice while other databases were busy).
   */
  private readableFloor = 0n;

  private constructor(
    private readonly db: Kysely<unknown>,
    options: PostgresEventStoreOptions,
  ) {
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.listen = options.listen;
    this.pollIntervalMs = options.pollIntervalMs ?? (options.listen ? 5_000 : 100);
    this.directQuery =
      options.directQuery ??
      (async <Row>(text: string, values: readonly unknown[]) => {
        const result = await db.executeQuery<Row>(CompiledQuery.raw(text, [...values]));
        return { rows: [...result.rows] };
      });
    this.appended.setMaxListeners(0);
    // A store bound to a caller's transaction appends in that transaction, one append per call.
    const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    this.batches = db.isTransaction
      ? undefined
      : new GroupCommit(
          (batch) => this.sendBatch(batch),
          (append) => append.streamName,
          Math.max(1, maxBatchSize),
          Math.max(1, options.maxBatchesInFlight ?? DEFAULT_BATCHES_IN_FLIGHT),
        );
  }

  /** Creates the event tables if needed and returns the store. */
  static async create(
    db: Kysely<unknown>,
    options: PostgresEventStoreOptions = {},
  ): Promise<PostgresEventStore> {
    await createEventStoreSchema(db);
    return new PostgresEventStore(db, options);
  }

  /** A store on tables that already exist, e.g. bound to an open transaction. */
  static open(db: Kysely<unknown>, options: PostgresEventStoreOptions = {}): PostgresEventStore {
    return new PostgresEventStore(db, options);
  }

  append(
    streamName: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    return unlessUnavailable(() => this.appendNow(streamName, events, expectedRevision));
  }

  readStream(streamName: string, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    return unlessUnavailable(() => this.readStreamNow(streamName, options));
  }

  readStreams(
    streamNames: readonly string[],
    options: ReadStreamsOptions = {},
  ): Promise<ReadonlyMap<string, readonly RecordedEvent[]>> {
    return unlessUnavailable(() => this.readStreamsNow(streamNames, options));
  }

  readStreamsToFold(
    streamNames: readonly string[],
    options: ReadStreamsOptions = {},
  ): Promise<ReadonlyMap<string, readonly FoldableEvent[]>> {
    // An upcaster is given the stored metadata: with one registered, read everything and keep the fold's share.
    if (!this.upcasters.isEmpty())
      return unlessUnavailable(async () => {
        const read = await this.readStreamsNow(streamNames, options);
        return new Map(
          [...read].map(([name, events]) => [
            name,
            events.map(({ type, data, revision }) => ({ type, data, revision })),
          ]),
        );
      });
    return unlessUnavailable(() => this.readStreamsToFoldNow(streamNames, options));
  }

  readAll(options: ReadAllOptions = {}): Promise<readonly RecordedEvent[]> {
    return unlessUnavailable(() => this.readAllNow(options));
  }

  headPosition(): Promise<Position | undefined> {
    return unlessUnavailable(() => this.headPositionNow());
  }

  lastCommittedPosition(): Promise<Position | undefined> {
    return unlessUnavailable(() => this.lastCommittedPositionNow());
  }

  private async appendNow(
    streamName: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    if (events.length === 0) return this.appendNothing(streamName, expectedRevision);
    const pending: PendingAppend = { streamName, events, expected: expectedRevision };
    const outcome = this.batches ? await this.batches.submit(pending) : (await this.callBatch([pending]))[0]!;
    if ('error' in outcome) throw outcome.error;
    const { row } = outcome;
    switch (row.outcome) {
      case 'appended':
      case 'replay':
        return {
          nextExpectedRevision: Number(row.revision),
          position: positionOf({
            transaction_text: row.transaction_text!,
            sequence_text: row.position_text!,
          }),
          ...(row.outcome === 'replay' ? { alreadyStored: true } : {}),
        };
      case 'id_conflict':
        throw new EventIdConflictError(streamName);
      case 'conflict':
        throw new ConcurrencyError(
          streamName,
          expectedRevision,
          row.revision === null ? 'no_stream' : Number(row.revision),
        );
      default: {
        const _exhaustive: never = row.outcome;
        throw new Error(`es_append_batch answered ${String(_exhaustive)}`);
      }
    }
  }

  /**
   * One batch of the group commit. Every append keeps its own outcome: the function answers refusals as rows,
   * a deadlock with another process's transaction is retried, and any other error of a batch of several (a
   * value Postgres refuses in one append) sends them again one by one, so it stays with the append it belongs to.
   */
  private async sendBatch(batch: readonly PendingAppend[]): Promise<BatchOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.callBatch(batch);
      } catch (error) {
        if (errorCode(error) === DEADLOCK_DETECTED && attempt < 5) continue;
        if (batch.length === 1 || isConnectionFailure(error)) throw error;
        const outcomes: BatchOutcome[] = [];
        for (const pending of batch) {
          outcomes.push(
            await this.callBatch([pending]).then(
              ([outcome]) => outcome!,
              (alone: unknown) => ({ error: alone }),
            ),
          );
        }
        return outcomes;
      }
    }
  }

  /**
   * One round trip for the usual batch (single events to distinct streams), a second only for the appends it did
   * not write; any other batch goes to `es_append_one` (alone) or `es_append_batch`.
   */
  private async callBatch(batch: readonly PendingAppend[]): Promise<BatchOutcome[]> {
    const rows: (BatchRow | undefined)[] = isSingleEventsToDistinctStreams(batch)
      ? await this.appendSingleEvents(batch)
      : batch.map(() => undefined);
    const rest = batch.filter((_, index) => rows[index] === undefined);
    if (rest.length > 0) {
      const decided =
        rest.length === 1 ? [await this.appendOneFunction(rest[0]!)] : await this.appendBatchFunction(rest);
      let next = 0;
      rows.forEach((row, index) => {
        if (row === undefined) rows[index] = decided[next++];
      });
    }
    // The rest went in a transaction of its own, after the first: announce the newest transaction.
    const newest = rows.reduce<bigint | undefined>((max, row) => {
      if (row?.outcome !== 'appended') return max;
      const transaction = BigInt(row.transaction_text!);
      return max === undefined || transaction > max ? transaction : max;
    }, undefined);
    if (newest !== undefined) this.appended.emit('appended', newest);
    return rows.map((row) => ({ row: row! }));
  }

  /** The rows of the appends the single-events statement wrote, by place in the batch (undefined: not written). */
  private async appendSingleEvents(batch: readonly PendingAppend[]): Promise<(BatchRow | undefined)[]> {
    const { rows } =
      batch.length === 1
        ? await this.directQuery<BatchRow>(
            APPEND_SINGLE_EVENT_STATEMENT,
            singleEventValues(batch[0]!),
            'es_append_single_event',
          )
        : await this.directQuery<BatchRow>(
            APPEND_SINGLE_EVENTS_STATEMENT,
            singleEventsColumns(batch),
            'es_append_single_events',
          );
    const written: (BatchRow | undefined)[] = batch.map(() => undefined);
    for (const row of rows) written[row.append_ordinal - 1] = row;
    return written;
  }

  private async appendBatchFunction(batch: readonly PendingAppend[]): Promise<BatchRow[]> {
    const payload = JSON.stringify(
      batch.map(({ streamName, events, expected }) => ({
        stream: streamName,
        category: streamCategory(streamName),
        expected: String(expected),
        events: events.map((event) => ({
          id: event.id,
          type: event.type,
          data: event.data,
          metadata: event.metadata,
        })),
      })),
    );
    const { rows } = await this.directQuery<BatchRow>(APPEND_BATCH_STATEMENT, [payload], 'es_append_batch');
    if (rows.length !== batch.length) {
      throw new Error(`es_append_batch answered ${rows.length} rows for ${batch.length} appends`);
    }
    return [...rows];
  }

  private async appendOneFunction({ streamName, events, expected }: PendingAppend): Promise<BatchRow> {
    const payload = JSON.stringify(
      events.map((event) => ({ id: event.id, type: event.type, data: event.data, metadata: event.metadata })),
    );
    const { rows } = await this.directQuery<Omit<BatchRow, 'append_ordinal'>>(
      APPEND_ONE_STATEMENT,
      [streamName, streamCategory(streamName), String(expected), payload],
      'es_append_one',
    );
    const row = rows[0];
    if (!row) throw new Error('es_append_one answered no row');
    return { ...row, append_ordinal: 1 };
  }

  private async readStreamNow(
    streamName: string,
    options: ReadStreamOptions,
  ): Promise<readonly RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const values: unknown[] = [streamName];
    const conditions = ['stream_name = $1'];
    if (options.fromRevision !== undefined) {
      values.push(options.fromRevision);
      conditions.push(`revision ${backwards ? '<=' : '>='} $${values.length}`);
    }
    if (options.until !== undefined) {
      values.push(options.until.toISOString());
      conditions.push(`revision < coalesce((select min(revision) from es_events later
        where later.stream_name = $1 and later.occurred_at > $${values.length}::timestamptz), ${MAX_REVISION})`);
    }
    let text = `select ${EVENT_COLUMNS} from es_events where ${conditions.join(' and ')}
      order by revision ${backwards ? 'desc' : 'asc'}`;
    if (options.maxCount !== undefined) {
      values.push(options.maxCount);
      text += ` limit $${values.length}`;
    }
    // One prepared statement per shape of the query text.
    const shape = [
      'es_read_stream',
      backwards ? 'backwards' : 'forwards',
      options.fromRevision === undefined ? '' : 'from',
      options.until === undefined ? '' : 'until',
      options.maxCount === undefined ? '' : 'limit',
    ].join('_');
    const { rows } = await this.directQuery<EventRow>(text, values, shape);
    return rows.map((row) => this.toRecordedEvent(row));
  }

  private async readStreamsNow(
    streamNames: readonly string[],
    { until }: ReadStreamsOptions,
  ): Promise<ReadonlyMap<string, readonly RecordedEvent[]>> {
    const byStream = new Map<string, RecordedEvent[]>(streamNames.map((name) => [name, []]));
    if (byStream.size === 0) return byStream;
    const names = [...byStream.keys()];
    const { rows } =
      until === undefined
        ? await this.directQuery<EventRow>(READ_STREAMS_STATEMENT, [names], 'es_read_streams')
        : await this.directQuery<EventRow>(
            READ_STREAMS_UNTIL_STATEMENT,
            [names, until.toISOString()],
            'es_read_streams_until',
          );
    for (const row of rows) byStream.get(row.stream_name)?.push(this.toRecordedEvent(row));
    return byStream;
  }

  private async readStreamsToFoldNow(
    streamNames: readonly string[],
    { until }: ReadStreamsOptions,
  ): Promise<ReadonlyMap<string, readonly FoldableEvent[]>> {
    const byStream = new Map<string, FoldableEvent[]>(streamNames.map((name) => [name, []]));
    if (byStream.size === 0) return byStream;
    const names = [...byStream.keys()];
    const { rows } =
      until === undefined
        ? await this.directQuery<FoldRow>(READ_STREAMS_TO_FOLD_STATEMENT, [names], 'es_read_streams_to_fold')
        : await this.directQuery<FoldRow>(
            READ_STREAMS_TO_FOLD_UNTIL_STATEMENT,
            [names, until.toISOString()],
            'es_read_streams_to_fold_until',
          );
    for (const row of rows)
      byStream.get(row.stream_name)?.push({ type: row.type, data: row.data, revision: Number(row.revision) });
    return byStream;
  }

  private async readAllNow(options: ReadAllOptions): Promise<readonly RecordedEvent[]> {
    const { major, minor } = decodePosition(options.after ?? START_POSITION);
    const { rows } = await sql<EventRow>`
      select ${sql.raw(EVENT_COLUMNS)} from es_events
      where (transaction_id, global_position) > (${major.toString()}::xid8, ${minor.toString()}::bigint)
        and transaction_id < ${this.readableBound()}
        and ${filterCondition(options.filter)}
      order by transaction_id, global_position
      limit ${options.maxCount ?? 1000}`.execute(this.db);
    return rows.map((row) => this.toRecordedEvent(row));
  }

  private async headPositionNow(): Promise<Position | undefined> {
    const { rows } = await sql<PositionRow>`
      select transaction_id::text as transaction_text, global_position::text as sequence_text from es_events
      where transaction_id < ${this.readableBound()}
      order by transaction_id desc, global_position desc limit 1`.execute(this.db);
    const row = rows[0];
    if (!row) return undefined;
    const major = BigInt(row.transaction_text);
    if (major >= this.readableFloor) this.readableFloor = major + 1n;
    return positionOf(row);
  }

  private readableBound() {
    return sql`greatest(${sql.raw(READABLE_BOUND)}, ${this.readableFloor.toString()}::xid8)`;
  }

  private async lastCommittedPositionNow(): Promise<Position | undefined> {
    const { rows } = await sql<PositionRow>`
      select transaction_id::text as transaction_text, global_position::text as sequence_text from es_events
      order by transaction_id desc, global_position desc limit 1`.execute(this.db);
    const row = rows[0];
    return row ? positionOf(row) : undefined;
  }

  subscribe(options: SubscribeOptions = {}): EventSubscription {
    this.startListening();
    const subscription = pollingSubscription({
      readAll: (readOptions) => this.readAll(readOptions),
      appended: this.appended,
      pollIntervalMs: this.pollIntervalMs,
      ...options,
    });
    let closed = false;
    return {
      [Symbol.asyncIterator]: () => subscription[Symbol.asyncIterator](),
      close: async () => {
        await subscription.close();
        if (closed) return;
        closed = true;
        await this.stopListening();
      },
    };
  }

  async close(): Promise<void> {
    this.appended.emit('closed');
    this.appended.removeAllListeners();
    this.subscribers = 0;
    const listening = this.listening;
    this.listening = undefined;
    await (
      await listening
    )?.();
  }

  /**
   * While a subscription is open, listens for the appends of every process on this schema and wakes the
   * subscriptions with the appending transaction's id. A listener that fails to start leaves the polling.
   * Once listening, it wakes them all once more: an append committed between a subscription's first read and
   * the LISTEN taking effect sent its notification to nobody, and would otherwise wait for the poll (5 s).
   */
  private startListening(): void {
    this.subscribers++;
    if (!this.listen || this.listening) return;
    const listen = this.listen;
    this.listening = (async () => {
      const { rows } = await this.directQuery<{ schema: string }>('select current_schema() as schema', []);
      const schema = rows[0]?.schema ?? '';
      const unlisten = await listen(APPENDED_CHANNEL, (payload) => {
        const [from, transaction] = payload.split(' ');
        if (from === schema && transaction) this.appended.emit('appended', BigInt(transaction));
      });
      this.appended.emit('appended');
      return unlisten;
    })().catch(() => undefined);
  }

  private async stopListening(): Promise<void> {
    if (this.subscribers === 0) return;
    this.subscribers--;
    if (this.subscribers > 0 || !this.listening) return;
    const listening = this.listening;
    this.listening = undefined;
    await (
      await listening
    )?.();
  }

  private async currentRevision(streamName: string): Promise<CurrentRevision> {
    const { rows } = await sql<{ revision: number | string }>`
      select revision from es_events where stream_name = ${streamName}
      order by revision desc limit 1`.execute(this.db);
    const row = rows[0];
    return row ? Number(row.revision) : 'no_stream';
  }

  private async appendNothing(streamName: string, expected: ExpectedRevision): Promise<AppendResult> {
    const actual = await this.currentRevision(streamName);
    assertExpectedRevision(streamName, expected, actual);
    const head =
      actual === 'no_stream'
        ? undefined
        : (await this.readStreamNow(streamName, { fromRevision: actual }))[0];
    return {
      nextExpectedRevision: actual === 'no_stream' ? -1 : actual,
      position: head?.position ?? START_POSITION,
    };
  }

  private toRecordedEvent(row: EventRow): RecordedEvent {
    const { type, data, metadata } = this.upcasters.upcast(row.type, row.data, row.metadata);
    return {
      id: row.event_id,
      type,
      data,
      metadata,
      streamName: row.stream_name,
      revision: Number(row.revision),
      position: positionOf(row),
    };
  }
}

const filterCondition = (filter: EventFilter | undefined) => {
  const types = filter?.eventTypes;
  const categories = filter?.streamCategories;
  return sql`${types ? sql`type = any(${sql.val([...types])}::text[])` : sql`true`}
    and ${categories ? sql`stream_category = any(${sql.val([...categories])}::text[])` : sql`true`}`;
};

import { setMaxListeners } from 'node:events';
import type { Kysely } from 'kysely';
import type { EventStore, Position, RecordedEvent } from '@app/event-store';
import { AppendWakeUps } from './append-wake-ups';
import { applyBatch, CheckpointMovedError, type VersionLocation } from './apply-batch';
import type { Projection } from './projection';
import type { CheckpointDatabase, ProjectionCheckpoint } from './projection-checkpoints.table';
import { soleLease, type ProjectionLease } from './projection-lease';
import { LogPages } from './log-pages';
import { describeFailure, abortableSleep } from './runner-loop';
import { activateVersion, currentSchemaOf, registerVersion } from './read-model-versions';

export type ProjectionRunnerOptions<DB> = Readonly<{
  db: Kysely<DB & CheckpointDatabase>;
  store: EventStore;
  projections: readonly Projection<DB>[];
  lease?: ProjectionLease;
  /** Most events of a projection per batch (and per transaction). */
  batchSize?: number;
  /**
   * How long a batch's transaction should last: a projection whose batches take longer gets smaller ones. A write
   * transaction in flight holds back the head every reader of the log sees, so a long one delays them all.
   */
  batchTargetMs?: number;
  /**
   * Events per read of the log, shared by the projections at the same place (see log-pages.ts). Default 1,000:
   * the convoy keeps up to seven pages parsed, and with pages of 5,000 a rebuild of every read model held more
   * and collected more for nothing (200,571 events: 19.7–22.4 s and 236–258 MB, against 19.1–21.3 s and
   * 213–224 MB).
   */
  pageSize?: number;
  /**
   * How long an idle projection waits before looking at the log again, unless an append wakes it first (see
   * `wakeOnAppend`); default 50 ms, 1 s when appends wake it.
   */
  idleMs?: number;
  /**
   * Wake the idle projections as soon as an event is appended, through a subscription to the log (LISTEN/NOTIFY
   * on Postgres, the server's own on EventStoreDB), rather than only on the next look; default true.
   */
  wakeOnAppend?: boolean;
  /** How long a worker that does not hold a projection waits before trying to take it. */
  leaseRetryMs?: number;
  /** First and longest wait before retrying a projection that failed. */
  backoff?: Readonly<{ firstMs: number; maxMs: number }>;
  /** Told once about each failure and each recovery; the runner never logs by itself. */
  onFailure?: (failure: Readonly<{ projection: string; position: Position; error: unknown }>) => void;
  /** Told about every batch applied, for metrics. */
  onApplied?: (applied: Readonly<{ projection: string; version: number; events: number }>) => void;
  /** Told when a version has caught up and queries read it from now on. */
  onActivated?: (activated: Readonly<{ projection: string; version: number }>) => void;
}>;

/**
 * What the runner knows of a version it follows: where its tables are, whether queries read it yet, and its
 * checkpoint as this runner last moved it (unknown after a failure: read again before the next batch).
 */
type FollowedVersion = {
  location: VersionLocation;
  active: boolean;
  checkpoint?: Position | null;
  /** Most events of its next batch, from how long its last full one took. */
  batchLimit?: number;
};

/** Most log events one batch looks through for the events a projection handles, so its checkpoint moves often. */
const SCANNED_PER_BATCH = 20_000;

/** The fewest events a full batch shrinks to, however slow: below that, each transaction's own cost shows. */
const MIN_BATCH = 50;

/** How often `caughtUpTo` looks at the checkpoints. */
const CAUGHT_UP_POLL_MS = 20;

/** Versions of one projection are held apart: a worker building the new one never waits on the old one's holder. */
const leaseKey = (projection: Readonly<{ name: string; version: number }>) =>
  `${projection.name}@${projection.version}`;

/**
 * Follows the log for each projection version from its checkpoint, in that version's own tables (see
 * read-model-versions.ts); a version that is still building becomes the one queries read once it has caught up.
 * For each, takes the events it handles after its checkpoint, up to `batchSize` of them (fewer for a projection
 * whose batches outlast `batchTargetMs`), from pages of the whole log that the projections at the same place share
 * (see log-pages.ts: a rebuild of all of them reads the log once, and the next page is read while this one
 * applies), applies them and moves the checkpoint in one transaction, then the
 * next batch; when the log has nothing more the checkpoint moves to the head, so lag and read-your-writes waits see
 * it caught up. The checkpoint each batch starts from is the one this runner's last batch committed: the batch's
 * compare-and-set on it tells when another runner moved it, and after any failure it is read again. An event a
 * projection cannot apply stops that projection only: the events before it are applied, its position and the error
 * are recorded, and it is retried with backoff. A crash at any instant loses and repeats nothing: a batch and its
 * checkpoint commit together.
 */
export class ProjectionRunner<DB> {
  private readonly abort = new AbortController();
  private readonly followed = new Map<Projection<DB>, FollowedVersion>();
  private readonly loops: Promise<void>[] = [];
  private readonly lease: ProjectionLease;
  private readonly batchSize: number;
  private readonly batchTargetMs: number;
  private readonly idleMs: number;
  private readonly leaseRetryMs: number;
  private readonly backoff: Readonly<{ firstMs: number; maxMs: number }>;
  private readonly checkpoints: Kysely<CheckpointDatabase>;
  private readonly pages: LogPages;
  /** Idle projections wait here for an append or their next look. */
  private readonly wakeUps: AppendWakeUps;

  constructor(private readonly options: ProjectionRunnerOptions<DB>) {
    this.lease = options.lease ?? soleLease();
    this.batchSize = options.batchSize ?? 5_000;
    this.batchTargetMs = options.batchTargetMs ?? 500;
    const pageSize = options.pageSize ?? 1_000;
    // The reach of a rebuild's convoy: the first projection reads at most this many pages ahead of the slowest,
    // a few megabytes each.
    this.pages = new LogPages(options.store, { pageSize, keptPages: 6 });
    this.idleMs = options.idleMs ?? (options.wakeOnAppend === false ? 50 : 1_000);
    this.leaseRetryMs = options.leaseRetryMs ?? 2_000;
    this.backoff = options.backoff ?? { firstMs: 1_000, maxMs: 60_000 };
    this.wakeUps = new AppendWakeUps(options.store, this.leaseRetryMs);
    this.checkpoints = options.db as unknown as Kysely<CheckpointDatabase>;
    // Every projection's loop sleeps on this one signal (a listener each, and one more while waiting for catch-up):
    // a dozen read models are no leak.
    setMaxListeners(2 * options.projections.length + 10, this.abort.signal);
  }

  start(): void {
    if (this.options.wakeOnAppend !== false) this.loops.push(this.wakeUps.watch(this.abort.signal));
    for (const projection of this.options.projections) this.loops.push(this.follow(projection));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.wakeUps.close();
    await Promise.all(this.loops);
    for (const projection of this.options.projections)
      await this.lease.release(leaseKey(projection)).catch(() => undefined);
    await this.lease.close();
  }

  /** Every projection's checkpoint row. */
  status(): Promise<ProjectionCheckpoint[]> {
    return this.checkpoints.selectFrom('projection_checkpoints').selectAll().orderBy('name').execute();
  }

  /**
   * Resolves once every projection's checkpoint has reached `position` and its version is the one queries read
   * (or the runner stopped).
   */
  async caughtUpTo(position: Position, timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.abort.signal.aborted && Date.now() < deadline) {
      const rows = await this.status();
      const current = this.options.projections.every((projection) =>
        rows.some(
          (row) =>
            row.name === projection.name &&
            row.version === projection.version &&
            row.position !== null &&
            row.position >= position,
        ),
      );
      if (current && this.options.projections.every((projection) => this.followed.get(projection)?.active))
        return true;
      await abortableSleep(Math.min(this.idleMs, CAUGHT_UP_POLL_MS), this.abort.signal);
    }
    return false;
  }

  private async follow(projection: Projection<DB>): Promise<void> {
    const { signal } = this.abort;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const version = this.followed.get(projection) ?? (await this.register(projection));
        if (!(await this.lease.tryAcquire(leaseKey(projection)))) {
          // Another worker moves it meanwhile.
          delete version.checkpoint;
          this.pages.leave(leaseKey(projection));
          await abortableSleep(this.leaseRetryMs, signal);
          continue;
        }
        const mark = this.wakeUps.mark;
        const moved = await this.step(projection, version);
        failures = 0;
        if (!moved && !version.active) version.active = await this.activate(projection);
        if (!moved) await this.wakeUps.sleep(this.idleMs, signal, mark);
      } catch (error) {
        const followed = this.followed.get(projection);
        if (followed) delete followed.checkpoint;
        // Retried from its checkpoint, maybe only after a backoff: the others need not wait for it meanwhile.
        this.pages.leave(leaseKey(projection));
        if (error instanceof CheckpointMovedError) continue;
        failures++;
        const wait = Math.min(this.backoff.maxMs, this.backoff.firstMs * 2 ** (failures - 1));
        await abortableSleep(wait, signal);
      }
    }
  }

  private async register(projection: Projection<DB>): Promise<FollowedVersion> {
    const db = this.options.db as unknown as Kysely<unknown>;
    const row = await registerVersion(db, projection);
    await this.ensureCheckpoint(projection);
    const version: FollowedVersion = {
      location: { schema: row.schema_name, baseSchema: await currentSchemaOf(db) },
      active: row.state === 'active',
    };
    this.followed.set(projection, version);
    return version;
  }

  /** Caught up with the log: the version's turn to serve queries, if it is not already. */
  private async activate(projection: Projection<DB>): Promise<boolean> {
    const active = await activateVersion(this.options.db as unknown as Kysely<unknown>, projection);
    if (active) this.options.onActivated?.({ projection: projection.name, version: projection.version });
    return active;
  }

  private async ensureCheckpoint(projection: Projection<DB>): Promise<void> {
    await this.checkpoints
      .insertInto('projection_checkpoints')
      .values({ name: projection.name, version: projection.version, position: null, status: 'running' })
      .onConflict((oc) => oc.columns(['name', 'version']).doNothing())
      .execute();
  }

  private async checkpointOf(projection: Projection<DB>): Promise<Position | null> {
    const row = await this.checkpoints
      .selectFrom('projection_checkpoints')
      .select('position')
      .where('name', '=', projection.name)
      .where('version', '=', projection.version)
      .executeTakeFirstOrThrow();
    return row.position as Position | null;
  }

  /**
   * One batch: the events the projection handles after its checkpoint, from the shared pages of the log, up to
   * `batchSize` of them or the head; true when the checkpoint moved.
   */
  private async step(projection: Projection<DB>, version: FollowedVersion): Promise<boolean> {
    const from = version.checkpoint !== undefined ? version.checkpoint : await this.checkpointOf(projection);
    const handled = new Set(projection.handles);
    const limit = version.batchLimit ?? this.batchSize;
    const batch: RecordedEvent[] = [];
    let to = from;
    let scanned = 0;
    reading: for (;;) {
      const page = await this.pages.pageAfter(to, leaseKey(projection));
      for (const event of page.events) {
        if (!handled.has(event.type)) continue;
        batch.push(event);
        // Full: the checkpoint stops at this event, and the next batch reads on from it.
        if (batch.length === limit) {
          to = event.position;
          break reading;
        }
      }
      to = page.through ?? to;
      scanned += page.events.length;
      if (page.atHead || scanned >= SCANNED_PER_BATCH) break;
    }
    if (to === null || (from !== null && to <= from)) {
      version.checkpoint = from;
      return false;
    }
    const started = performance.now();
    try {
      await applyBatch(this.options.db, projection, batch, from, to, version.location);
    } catch (error) {
      if (error instanceof CheckpointMovedError) throw error;
      await this.applyOneByOne(projection, batch, from, version.location, error);
    }
    if (batch.length === limit) version.batchLimit = this.nextBatchLimit(limit, performance.now() - started);
    version.checkpoint = to;
    this.told(projection, batch.length);
    return true;
  }

  /**
   * The size of a projection's next batch after a full one of `limit` events took `ms`: the size that lasts about
   * `batchTargetMs` at that pace, at most twice or half the last (one slow batch is no trend), within `batchSize`.
   */
  private nextBatchLimit(limit: number, ms: number): number {
    const atTarget = Math.round((limit * this.batchTargetMs) / Math.max(ms, 1));
    const steady = Math.min(2 * limit, Math.max(Math.ceil(limit / 2), atTarget));
    return Math.min(this.batchSize, Math.max(Math.min(MIN_BATCH, this.batchSize), steady));
  }

  /** After a failed batch: applies its events one at a time up to the one that fails, and records that one. */
  private async applyOneByOne(
    projection: Projection<DB>,
    events: readonly RecordedEvent[],
    from: Position | null,
    location: VersionLocation,
    batchError: unknown,
  ): Promise<never> {
    let at = from;
    for (const event of events) {
      try {
        await applyBatch(this.options.db, projection, [event], at, event.position, location);
        this.told(projection, 1);
        at = event.position;
      } catch (error) {
        if (error instanceof CheckpointMovedError) throw error;
        await this.recordFailure(projection, event.position, error);
        throw error;
      }
    }
    // Every event applied alone: the batch failed for another reason (a conflict between its rows).
    throw batchError;
  }

  private told(projection: Projection<DB>, events: number): void {
    if (events > 0)
      this.options.onApplied?.({ projection: projection.name, version: projection.version, events });
  }

  private async recordFailure(projection: Projection<DB>, position: Position, error: unknown): Promise<void> {
    this.options.onFailure?.({ projection: projection.name, position, error });
    await this.checkpoints
      .updateTable('projection_checkpoints')
      .set({
        status: 'failing',
        last_error: describeFailure(error),
        error_position: position,
        updated_at: new Date(),
      })
      .where('name', '=', projection.name)
      .where('version', '=', projection.version)
      .execute();
  }
}

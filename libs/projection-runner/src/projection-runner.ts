import { setMaxListeners } from 'node:events';
import type { Kysely } from 'kysely';
import type { EventStore, Position, RecordedEvent } from '@app/event-store';
import { applyBatch, CheckpointMovedError, type VersionLocation } from './apply-batch';
import type { Projection } from './projection';
import type { CheckpointDatabase, ProjectionCheckpoint } from './projection-checkpoints.table';
import { soleLease, type ProjectionLease } from './projection-lease';
import { describeFailure, abortableSleep } from './runner-loop';
import { activateVersion, currentSchemaOf, registerVersion } from './read-model-versions';

export type ProjectionRunnerOptions<DB> = Readonly<{
  db: Kysely<DB & CheckpointDatabase>;
  store: EventStore;
  projections: readonly Projection<DB>[];
  lease?: ProjectionLease;
  /** Events per batch (and per transaction). */
  batchSize?: number;
  /** How long an idle projection waits before looking at the log again. */
  idleMs?: number;
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

/** What the runner knows of a version it follows: where its tables are and whether queries read it yet. */
type FollowedVersion = { location: VersionLocation; active: boolean };

/** Versions of one projection are held apart: a worker building the new one never waits on the old one's holder. */
const leaseKey = (projection: Readonly<{ name: string; version: number }>) =>
  `${projection.name}@${projection.version}`;

/**
 * Follows the log for each projection version from its checkpoint, in that version's own tables (see
 * read-model-versions.ts); a version that is still building becomes the one queries read once it has caught up.
 * For each, reads a page of the events it handles, applies it and
 * moves the checkpoint in one transaction, then the next page; when the log has nothing more the checkpoint moves
 * to the head, so lag and read-your-writes waits see it caught up. An event a projection cannot apply stops that
 * projection only: the events before it are applied, its position and the error are recorded, and it is retried
 * with backoff. A crash at any instant loses and repeats nothing: a batch and its checkpoint commit together.
 */
export class ProjectionRunner<DB> {
  private readonly abort = new AbortController();
  private readonly followed = new Map<Projection<DB>, FollowedVersion>();
  private readonly loops: Promise<void>[] = [];
  private readonly lease: ProjectionLease;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly leaseRetryMs: number;
  private readonly backoff: Readonly<{ firstMs: number; maxMs: number }>;
  private readonly checkpoints: Kysely<CheckpointDatabase>;

  constructor(private readonly options: ProjectionRunnerOptions<DB>) {
    this.lease = options.lease ?? soleLease();
    this.batchSize = options.batchSize ?? 500;
    this.idleMs = options.idleMs ?? 50;
    this.leaseRetryMs = options.leaseRetryMs ?? 2_000;
    this.backoff = options.backoff ?? { firstMs: 1_000, maxMs: 60_000 };
    this.checkpoints = options.db as unknown as Kysely<CheckpointDatabase>;
    // Every projection's loop sleeps on this one signal (a listener each, and one more while waiting for catch-up):
    // a dozen read models are no leak.
    setMaxListeners(2 * options.projections.length + 10, this.abort.signal);
  }

  start(): void {
    for (const projection of this.options.projections) this.loops.push(this.follow(projection));
  }

  async stop(): Promise<void> {
    this.abort.abort();
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
      await abortableSleep(this.idleMs, this.abort.signal);
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
          await abortableSleep(this.leaseRetryMs, signal);
          continue;
        }
        const moved = await this.step(projection, version.location);
        failures = 0;
        if (!moved && !version.active) version.active = await this.activate(projection);
        if (!moved) await abortableSleep(this.idleMs, signal);
      } catch (error) {
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

  /** One page: true when the checkpoint moved. */
  private async step(projection: Projection<DB>, location: VersionLocation): Promise<boolean> {
    const from = await this.checkpointOf(projection);
    const head = await this.options.store.headPosition();
    const page = await this.options.store.readAll({
      ...(from === null ? {} : { after: from }),
      maxCount: this.batchSize,
      filter: { eventTypes: projection.handles },
    });
    let to: Position | undefined = page.at(-1)?.position;
    // A short page holds every wanted event up to the head read before it: the checkpoint may go to the head.
    if (page.length < this.batchSize && head !== undefined && (to === undefined || head > to)) to = head;
    if (to === undefined || (from !== null && to <= from)) return false;
    try {
      await applyBatch(this.options.db, projection, page, from, to, location);
    } catch (error) {
      if (error instanceof CheckpointMovedError) throw error;
      await this.applyOneByOne(projection, page, from, location, error);
    }
    this.told(projection, page.length);
    return true;
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

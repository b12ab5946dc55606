import type { Kysely } from 'kysely';
import { handleCommand, loadCurrentState, type WritePath } from '@app/command-handling';
import { DomainError, type Actor } from '@app/domain';
import type { EventStore, Position, RecordedEvent } from '@app/event-store';
import {
  applyBatch,
  CheckpointMovedError,
  soleLease,
  type CheckpointDatabase,
  type ProjectionCheckpoint,
  type ProjectionLease,
  describeFailure,
  abortableSleep,
  AppendWakeUps,
} from '@app/projection-runner';
import type { Reactor, ReactorContext } from './reactor';

/** The checkpoint row of a reactor: beside the projections', under a name of its own. */
export const reactorCheckpointName = (reactor: Pick<Reactor, 'name'>): string => `reactor:${reactor.name}`;
const REACTOR_CHECKPOINT_VERSION = 1;

/** Where a reactor's checkpoint is kept: a row of the projections' checkpoint table, by this name and version. */
export const reactorCheckpoint = (
  reactor: Pick<Reactor, 'name'>,
): Readonly<{ name: string; version: number }> => ({
  name: reactorCheckpointName(reactor),
  version: REACTOR_CHECKPOINT_VERSION,
});

/** A command a rule sent that its aggregate refused (a transition that no longer applies). */
export type ReactorRefusal = Readonly<{
  reactor: string;
  rule: string;
  streamName: string;
  cause: string;
  code: string;
}>;

export type ReactorRunnerOptions = Readonly<{
  db: Kysely<CheckpointDatabase>;
  store: EventStore;
  writePath: WritePath;
  reactors: readonly Reactor[];
  lease?: ProjectionLease;
  batchSize?: number;
  /**
   * How long an idle reactor waits before looking at the log again, unless an append wakes it first (see
   * `wakeOnAppend`); default 50 ms, 1 s when appends wake it.
   */
  idleMs?: number;
  /**
   * Wake the idle reactors as soon as an event is appended, through a subscription to the log, rather than only on
   * the next look; default true. Four reactors looking every 50 ms kept an idle worker at about 240 queries a
   * second.
   */
  wakeOnAppend?: boolean;
  leaseRetryMs?: number;
  backoff?: Readonly<{ firstMs: number; maxMs: number }>;
  onFailure?: (failure: Readonly<{ reactor: string; position: Position; error: unknown }>) => void;
  onRefusal?: (refusal: ReactorRefusal) => void;
  /**
   * Called once a page's commands are dispatched and before its checkpoint moves: the one moment a crash makes a
   * reactor dispatch again. Tests stop the process there.
   */
  afterDispatch?: (reactor: string, to: Position) => Promise<void> | void;
}>;

/**
 * Runs reactors the way the projection runner runs projections — one loop each from its checkpoint in
 * `projection_checkpoints`, one holder per reactor among several workers (the same leases), backoff on failure,
 * the same status rows — except that a page's effect is commands sent through the write path, not rows: they
 * are dispatched first, then the checkpoint moves (a compare-and-set, so a worker that lost its lease moves
 * nothing).
 */
export class ReactorRunner {
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly lease: ProjectionLease;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly leaseRetryMs: number;
  private readonly backoff: Readonly<{ firstMs: number; maxMs: number }>;
  /** Idle reactors wait here for an append or their next look. */
  private readonly wakeUps: AppendWakeUps;

  constructor(private readonly options: ReactorRunnerOptions) {
    this.lease = options.lease ?? soleLease();
    this.batchSize = options.batchSize ?? 100;
    this.idleMs = options.idleMs ?? (options.wakeOnAppend === false ? 50 : 1_000);
    this.leaseRetryMs = options.leaseRetryMs ?? 2_000;
    this.backoff = options.backoff ?? { firstMs: 1_000, maxMs: 60_000 };
    this.wakeUps = new AppendWakeUps(options.store, this.leaseRetryMs);
  }

  start(): void {
    if (this.options.wakeOnAppend !== false) this.loops.push(this.wakeUps.watch(this.abort.signal));
    for (const reactor of this.options.reactors) this.loops.push(this.follow(reactor));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.wakeUps.close();
    await Promise.all(this.loops);
    for (const reactor of this.options.reactors)
      await this.lease.release(reactorCheckpointName(reactor)).catch(() => undefined);
    await this.lease.close();
  }

  /** Every reactor's checkpoint row. */
  status(): Promise<ProjectionCheckpoint[]> {
    return this.options.db
      .selectFrom('projection_checkpoints')
      .selectAll()
      .where(
        'name',
        'in',
        this.options.reactors.map((reactor) => reactorCheckpointName(reactor)),
      )
      .orderBy('name')
      .execute();
  }

  /**
   * Runs every reactor until it has nothing left to do, without leases or loops: for the CLI, tests and a
   * worker's start. Answers the position of the last event its commands appended, if any: the log is only
   * read up to the oldest transaction in flight, so a caller that wants to react to those events too waits for
   * the log to show that position and drains again.
   */
  async drain(): Promise<Position | undefined> {
    const before = this.lastAppended;
    for (const reactor of this.options.reactors) {
      if (this.drainCheckpointsEnsured.has(reactor.name)) continue;
      await this.ensureCheckpoint(reactor);
      this.drainCheckpointsEnsured.add(reactor.name);
    }
    const checkpoints = this.drainedCheckpoints;
    for (;;) {
      const appendedBefore = this.lastAppended;
      // One head for the pass: read before every page of it, so each reactor may still move its checkpoint there.
      const head = await this.options.store.headPosition();
      for (const reactor of this.options.reactors) {
        for (;;) {
          try {
            const step = await this.step(reactor, {
              head,
              ...(checkpoints.has(reactor.name) ? { from: checkpoints.get(reactor.name) ?? null } : {}),
            });
            checkpoints.set(reactor.name, step.checkpoint);
            if (step.progress !== 'more') break;
          } catch (error) {
            // Another runner moved it: read it again and go on from there (its commands are repeats by their ids).
            if (!(error instanceof CheckpointMovedError) || !checkpoints.delete(reactor.name)) throw error;
          }
        }
      }
      // A pass whose commands appended nothing left each reactor past every event it could read: another pass would
      // only read the same log again.
      if (this.lastAppended === appendedBefore) {
        return this.lastAppended === before ? undefined : this.lastAppended;
      }
    }
  }

  /** The log position of the last event a command of these reactors appended. */
  private lastAppended: Position | undefined;
  /** The reactors whose checkpoint row a drain has already made sure of. */
  private readonly drainCheckpointsEnsured = new Set<string>();
  /** Where drains left each reactor's checkpoint: the compare-and-set of the next tells when another moved it. */
  private readonly drainedCheckpoints = new Map<string, Position | null>();

  private async follow(reactor: Reactor): Promise<void> {
    const { signal } = this.abort;
    const name = reactorCheckpointName(reactor);
    await this.ensureCheckpoint(reactor);
    let failures = 0;
    // Where this runner left the checkpoint, while it holds the lease: read again after anything went wrong.
    let checkpoint: Position | null | undefined;
    while (!signal.aborted) {
      try {
        if (!(await this.lease.tryAcquire(name))) {
          checkpoint = undefined;
          await abortableSleep(this.leaseRetryMs, signal);
          continue;
        }
        const mark = this.wakeUps.mark;
        const step = await this.step(reactor, checkpoint === undefined ? {} : { from: checkpoint });
        checkpoint = step.checkpoint;
        failures = 0;
        if (step.progress === 'idle') await this.wakeUps.sleep(this.idleMs, signal, mark);
      } catch (error) {
        checkpoint = undefined;
        if (error instanceof CheckpointMovedError) continue;
        failures++;
        const wait = Math.min(this.backoff.maxMs, this.backoff.firstMs * 2 ** (failures - 1));
        await abortableSleep(wait, signal);
      }
    }
  }

  private headInFlight: Readonly<{ mark: number; head: Promise<Position | undefined> }> | undefined;

  /**
   * The log's head, one query for the reactors that ask while it is in flight: they wake on the same append, and
   * each read the head of its own. A head read that began before a reactor asked is still read before that
   * reactor's page, which is all a step needs of it — unless an append was heard since it began: the reactor woken
   * by that append must see it, so it reads a head of its own.
   */
  private sharedHead(): Promise<Position | undefined> {
    const mark = this.wakeUps.mark;
    if (this.headInFlight?.mark === mark) return this.headInFlight.head;
    const inFlight = {
      mark,
      head: this.options.store.headPosition().finally(() => {
        if (this.headInFlight === inFlight) this.headInFlight = undefined;
      }),
    };
    this.headInFlight = inFlight;
    return inFlight.head;
  }

  private async ensureCheckpoint(reactor: Reactor): Promise<void> {
    await this.options.db
      .insertInto('projection_checkpoints')
      .values({
        name: reactorCheckpointName(reactor),
        version: REACTOR_CHECKPOINT_VERSION,
        position: null,
        status: 'running',
      })
      .onConflict((oc) => oc.columns(['name', 'version']).doNothing())
      .execute();
  }

  private async checkpointOf(reactor: Reactor): Promise<Position | null> {
    const row = await this.options.db
      .selectFrom('projection_checkpoints')
      .select('position')
      .where('name', '=', reactorCheckpointName(reactor))
      .where('version', '=', REACTOR_CHECKPOINT_VERSION)
      .executeTakeFirstOrThrow();
    return row.position as Position | null;
  }

  /**
   * One page: dispatch its commands, then move the checkpoint. `from` is the checkpoint when the caller knows it,
   * `head` a head the caller read before this step. Answers where the checkpoint is, and `idle` when it did not
   * move, `caught-up` when the page was the last the log had, `more` when a full page may have more behind it.
   */
  private async step(
    reactor: Reactor,
    known: Readonly<{ from?: Position | null; head?: Position | undefined }> = {},
  ): Promise<{ progress: 'idle' | 'caught-up' | 'more'; checkpoint: Position | null }> {
    const from = known.from !== undefined ? known.from : await this.checkpointOf(reactor);
    const head = 'head' in known ? known.head : await this.sharedHead();
    // The readable log ends where the checkpoint already is: nothing to read.
    if (head === undefined || (from !== null && head <= from)) return { progress: 'idle', checkpoint: from };
    const page = await this.options.store.readAll({
      ...(from === null ? {} : { after: from }),
      maxCount: this.batchSize,
      filter: { eventTypes: reactor.handles },
    });
    let to: Position | undefined = page.at(-1)?.position;
    if (page.length < this.batchSize && head !== undefined && (to === undefined || head > to)) to = head;
    if (to === undefined || (from !== null && to <= from)) return { progress: 'idle', checkpoint: from };
    for (const event of page) {
      try {
        await reactor.react(this.contextFor(reactor, event));
      } catch (error) {
        await this.recordFailure(reactor, event.position, error);
        throw error;
      }
    }
    await this.options.afterDispatch?.(reactor.name, to);
    const name = reactorCheckpointName(reactor);
    await applyBatch(
      this.options.db,
      { name, version: REACTOR_CHECKPOINT_VERSION, handles: reactor.handles, apply: () => Promise.resolve() },
      page,
      from,
      to,
    );
    return { progress: page.length < this.batchSize ? 'caught-up' : 'more', checkpoint: to };
  }

  private contextFor(reactor: Reactor, event: RecordedEvent): ReactorContext {
    const { writePath } = this.options;
    return {
      event,
      stateOf: async (decider, streamName) => (await loadCurrentState(writePath, decider, streamName)).state,
      send: async (rule, decider, streamName, command) => {
        const actor: Actor = { kind: 'system', rule };
        try {
          const result = await handleCommand(writePath, decider, streamName, {
            command: { ...command, metadata: { now: event.metadata.occurredAt, actor } } as Parameters<
              typeof decider.decide
            >[0],
            commandId: `${rule}:${event.id}`,
            correlationId: event.metadata.correlationId,
            causationId: event.id,
          });
          const outcome = result.replayed ? 'repeated' : result.events.length === 0 ? 'unchanged' : 'applied';
          if (outcome === 'applied' && result.position !== undefined) {
            if (this.lastAppended === undefined || result.position > this.lastAppended) {
              this.lastAppended = result.position;
            }
          }
          return { outcome, state: result.state };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          this.options.onRefusal?.({
            reactor: reactor.name,
            rule,
            streamName,
            cause: event.id,
            code: error.code,
          });
          return { outcome: 'refused', code: error.code };
        }
      },
    };
  }

  private async recordFailure(reactor: Reactor, position: Position, error: unknown): Promise<void> {
    this.options.onFailure?.({ reactor: reactor.name, position, error });
    await this.options.db
      .updateTable('projection_checkpoints')
      .set({
        status: 'failing',
        last_error: describeFailure(error),
        error_position: position,
        updated_at: new Date(),
      })
      .where('name', '=', reactorCheckpointName(reactor))
      .where('version', '=', REACTOR_CHECKPOINT_VERSION)
      .execute();
  }
}

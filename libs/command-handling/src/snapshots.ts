import type { Command, Decider, Message } from '@app/domain';
import type { Snapshot, SnapshotStore } from '@app/event-store';

/**
 * How one aggregate is snapshotted: every `every` events its folded state is stored, in the shape
 * `schemaVersion` names. Bump the version whenever the state's shape (or `evolve`'s meaning) changes: snapshots
 * of another version are ignored and rebuilt from the stream.
 */
export type SnapshotPolicy<State> = Readonly<{
  every: number;
  schemaVersion: number;
  /** The state as plain JSON (default: the state itself, for states that are plain data). */
  toJson?: (state: State) => unknown;
  fromJson?: (json: unknown) => State;
}>;

type AnyDecider = Decider<Command, Message, unknown>;
type AnyPolicy = SnapshotPolicy<unknown>;

/** One aggregate's snapshot policy, typed against its decider. */
export const snapshotPolicy = <C extends Command, E extends Message, State>(
  decider: Decider<C, E, State>,
  policy: SnapshotPolicy<State>,
): readonly [object, AnyPolicy] => [decider, policy as AnyPolicy];

/** A folded state read from a snapshot: the events after `revision` are still to be folded. */
export type SnapshotBase = Readonly<{ state: unknown; revision: number }>;

/**
 * Snapshots for the write path: read before a load, written after an append that crosses a multiple of the
 * policy's `every` (or after a load that had to fold that many events), never while the command waits: a write
 * is started once the command has its answer, and a failed write costs only a longer load next time (it is
 * reported to `onError`). Never inside the domain: deciders know nothing of it.
 */
export class Snapshotting {
  private readonly policies: ReadonlyMap<object, AnyPolicy>;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly store: SnapshotStore,
    policies: readonly (readonly [object, AnyPolicy])[],
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.policies = new Map(policies);
  }

  /** The latest snapshot of the stream in the policy's version, or undefined (none, or of another version). */
  async load(decider: AnyDecider, streamName: string): Promise<SnapshotBase | undefined> {
    const policy = this.policies.get(decider);
    if (!policy) return undefined;
    const snapshot: Snapshot | undefined = await this.store.read(streamName);
    if (!snapshot || snapshot.schemaVersion !== policy.schemaVersion) return undefined;
    return {
      state: policy.fromJson ? policy.fromJson(snapshot.state) : snapshot.state,
      revision: snapshot.revision,
    };
  }

  /**
   * Called once the stream is known to be at `revision` with `state`, having been at `fromRevision` (the
   * snapshot's, or -1) when the fold started: writes a snapshot if a multiple of `every` lies between them.
   */
  consider(
    decider: AnyDecider,
    streamName: string,
    fromRevision: number,
    revision: number,
    state: unknown,
  ): void {
    const policy = this.policies.get(decider);
    if (!policy || policy.every <= 0) return;
    if (Math.floor((revision + 1) / policy.every) <= Math.floor((fromRevision + 1) / policy.every)) return;
    const snapshot: Snapshot = {
      streamName,
      revision,
      schemaVersion: policy.schemaVersion,
      state: policy.toJson ? policy.toJson(state) : state,
    };
    const write: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.store.write(snapshot))
      .catch((error: unknown) => this.onError(error))
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  /** Waits for the snapshot writes started so far (tests, and a clean shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { Position, RecordedEvent } from '@app/event-store';
import type { Projection } from './projection';
import type { CheckpointDatabase } from './projection-checkpoints.table';

/** The checkpoint was not where this writer read it: another runner holds the projection now. */
export class CheckpointMovedError extends Error {
  constructor(readonly projection: string) {
    super(`The checkpoint of ${projection} moved under this runner: another runner holds it`);
    this.name = 'CheckpointMovedError';
  }
}

/**
 * Where a version's tables are: its own schema, looked in first, then the connection's (the log, the checkpoints
 * and any table the version does not own).
 */
export type VersionLocation = Readonly<{ schema: string; baseSchema: string }>;

/**
 * Applies a batch and moves the checkpoint from `from` to `to` in one transaction, on the tables of the version at
 * `location` (the connection's own when absent). The checkpoint is a
 * compare-and-set on `from`: when it has moved (a second runner, even one that lost its lock without knowing),
 * nothing of the batch is kept. `to` may lie past the batch's last event when the log had nothing more for it.
 */
export const applyBatch = async <DB>(
  db: Kysely<DB & CheckpointDatabase>,
  projection: Projection<DB>,
  events: readonly RecordedEvent[],
  from: Position | null,
  to: Position,
  location?: VersionLocation,
): Promise<void> => {
  // Nothing to apply: the compare-and-set alone, one statement, is as atomic as the transaction around it.
  if (events.length === 0) return checkpointMovesOf(db).move(projection, from, to);
  await db.transaction().execute(async (trx) => {
    // Unqualified names, in the projection's query builders and raw SQL alike, then reach the version's tables.
    if (location && location.schema !== location.baseSchema)
      await sql`set local search_path to ${sql.id(location.schema)}, ${sql.id(location.baseSchema)}`.execute(
        trx,
      );
    await projection.apply(events, trx as unknown as Transaction<DB>);
    await moveCheckpoint(trx as unknown as Kysely<CheckpointDatabase>, projection, events.length, from, to);
  });
};

/** Moves the checkpoint from `from` to `to` (compare-and-set), counting `applied` events. */
const moveCheckpoint = async (
  db: Kysely<CheckpointDatabase>,
  projection: Readonly<{ name: string; version: number }>,
  applied: number,
  from: Position | null,
  to: Position,
): Promise<void> => {
  const moved = await db
    .updateTable('projection_checkpoints')
    .set((eb) => ({
      position: to,
      status: 'running',
      last_error: null,
      error_position: null,
      events_applied: eb('events_applied', '+', applied),
      updated_at: new Date(),
    }))
    .where('name', '=', projection.name)
    .where('version', '=', projection.version)
    .where((eb) => (from === null ? eb('position', 'is', null) : eb('position', '=', from)))
    .executeTakeFirst();
  if (moved.numUpdatedRows !== 1n) throw new CheckpointMovedError(projection.name);
};

/** The most checkpoint moves sent in one statement. */
const MAX_MOVES_PER_STATEMENT = 200;

type PendingMove = Readonly<{
  name: string;
  version: number;
  from: Position | null;
  to: Position;
  done: () => void;
  failed: (error: unknown) => void;
}>;

/**
 * Checkpoint moves with nothing to apply, sent together. The projections and reactors of a process wake on the same
 * append, and each moved its checkpoint past it in a statement of its own: a dozen of the forty statements a
 * command cost. A move that arrives while another is in flight waits for it, then goes with every other waiting
 * move in one statement, each still a compare-and-set of its own (a checkpoint that moved under its runner fails
 * that move only); a lone move goes at once.
 */
class CheckpointMoves {
  private waiting: PendingMove[] = [];
  private sending = false;

  constructor(private readonly db: Kysely<CheckpointDatabase>) {}

  move(
    projection: Readonly<{ name: string; version: number }>,
    from: Position | null,
    to: Position,
  ): Promise<void> {
    return new Promise<void>((done, failed) => {
      this.waiting.push({ name: projection.name, version: projection.version, from, to, done, failed });
      if (!this.sending) void this.sendWaiting();
    });
  }

  private async sendWaiting(): Promise<void> {
    this.sending = true;
    try {
      while (this.waiting.length > 0) await this.send(this.takeBatch());
    } finally {
      this.sending = false;
    }
  }

  /** The waiting moves, oldest first, one per checkpoint: a second move of one waits for the next statement. */
  private takeBatch(): PendingMove[] {
    const batch: PendingMove[] = [];
    const later: PendingMove[] = [];
    const keys = new Set<string>();
    for (const move of this.waiting) {
      const key = checkpointKey(move);
      if (batch.length < MAX_MOVES_PER_STATEMENT && !keys.has(key)) {
        keys.add(key);
        batch.push(move);
      } else later.push(move);
    }
    this.waiting = later;
    return batch;
  }

  private async send(batch: readonly PendingMove[]): Promise<void> {
    try {
      const { rows } = await sql<{ name: string; version: number }>`
        update projection_checkpoints as c
        set position = m.to_position, status = 'running', last_error = null, error_position = null,
          updated_at = now()
        from unnest(
          ${batch.map((move) => move.name)}::text[], ${batch.map((move) => move.version)}::integer[],
          ${batch.map((move) => move.from)}::text[], ${batch.map((move) => move.to)}::text[]
        ) as m(name, version, from_position, to_position)
        where c.name = m.name and c.version = m.version and c.position is not distinct from m.from_position
        returning c.name, c.version`.execute(this.db);
      const moved = new Set(rows.map(checkpointKey));
      for (const move of batch) {
        if (moved.has(checkpointKey(move))) move.done();
        else move.failed(new CheckpointMovedError(move.name));
      }
    } catch (error) {
      for (const move of batch) move.failed(error);
    }
  }
}

const checkpointKey = (checkpoint: Readonly<{ name: string; version: number }>) =>
  `${checkpoint.version}:${checkpoint.name}`;

const checkpointMoves = new WeakMap<object, CheckpointMoves>();

const checkpointMovesOf = (db: object): CheckpointMoves => {
  let moves = checkpointMoves.get(db);
  if (!moves) {
    moves = new CheckpointMoves(db as Kysely<CheckpointDatabase>);
    checkpointMoves.set(db, moves);
  }
  return moves;
};

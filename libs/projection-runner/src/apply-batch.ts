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
  if (events.length === 0) {
    return moveCheckpoint(db as unknown as Kysely<CheckpointDatabase>, projection, 0, from, to);
  }
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

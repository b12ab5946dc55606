import { sql, type Kysely } from 'kysely';
import { decodePosition, START_POSITION, type Position } from '../position';

/** How many events of the given types the log holds after `after` up to `upTo` (both positions of one store). */
export type LogCounter = (
  after: Position | null,
  upTo: Position,
  eventTypes: readonly string[],
) => Promise<number>;

/**
 * Counts events of the Postgres event log by position, for lag figures. One index range scan; EventStoreDB has no
 * such count, so its lag is given in seconds only.
 */
export const postgresLogCounter =
  (db: Kysely<unknown>): LogCounter =>
  async (after, upTo, eventTypes) => {
    const from = decodePosition(after ?? START_POSITION);
    const to = decodePosition(upTo);
    const { rows } = await sql<{ events: string | number }>`
      select count(*) as events from es_events
      where (transaction_id, global_position) > (${from.major.toString()}::xid8, ${from.minor.toString()}::bigint)
        and (transaction_id, global_position) <= (${to.major.toString()}::xid8, ${to.minor.toString()}::bigint)
        and type = any(${sql.val([...eventTypes])}::text[])`.execute(db);
    return Number(rows[0]?.events ?? 0);
  };

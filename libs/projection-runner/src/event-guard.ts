import { sql, type Kysely, type Migration, type Transaction } from 'kysely';
import type { RecordedEvent } from '@app/event-store';

/** Per projection and stream, the revision of the last event applied. */
export interface ProjectionStreamRevisionsTable {
  projection: string;
  stream_name: string;
  revision: number;
}

export interface EventGuardDatabase {
  projection_stream_revisions: ProjectionStreamRevisionsTable;
}

export const EVENT_GUARD_MIGRATION_NAME = '2026-12-01T00-00-02_projection-stream-revisions';

export const eventGuardMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table if not exists projection_stream_revisions (
        projection text not null,
        stream_name text not null,
        revision bigint not null,
        primary key (projection, stream_name)
      )`.execute(db);
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table if exists projection_stream_revisions`.execute(db);
  },
};

/**
 * Whether `event` is new to `projection`: records its revision as the stream's last applied one and answers true,
 * or answers false for an event at or below it (a replay, which must change nothing). Events of one stream reach
 * a projection in revision order, so one number per stream is enough.
 */
export const claimEvent = async (
  trx: Transaction<unknown> | Kysely<unknown>,
  projection: string,
  event: RecordedEvent,
): Promise<boolean> => {
  const { rows } = await sql<{ revision: unknown }>`
    insert into projection_stream_revisions as p (projection, stream_name, revision)
    values (${projection}, ${event.streamName}, ${event.revision})
    on conflict (projection, stream_name) do update set revision = excluded.revision
      where p.revision < excluded.revision
    returning p.revision`.execute(trx);
  return rows.length === 1;
};

/**
 * The events of a batch that are new to `projection`, in one round trip for the whole batch rather than one per
 * event: each stream's last applied revision is read and moved to the batch's last, and an event is new when its
 * revision lies past the one read (a stream's events reach a projection in revision order, so this answers what
 * {@link claimEvent} would, event by event).
 */
export const claimEvents = async (
  trx: Transaction<unknown> | Kysely<unknown>,
  projection: string,
  events: readonly RecordedEvent[],
): Promise<RecordedEvent[]> => {
  if (events.length === 0) return [];
  const last = new Map<string, number>();
  for (const event of events)
    last.set(event.streamName, Math.max(last.get(event.streamName) ?? -1, event.revision));
  const { rows } = await sql<{ stream_name: string; previous: unknown }>`
    with batch as (
      select * from unnest(${sql.val([...last.keys()])}::text[], ${sql.val([...last.values()])}::bigint[])
        as b(stream_name, revision)
    ),
    previous as (
      select p.stream_name, p.revision from projection_stream_revisions p
      where p.projection = ${projection} and p.stream_name in (select stream_name from batch)
    ),
    moved as (
      insert into projection_stream_revisions as p (projection, stream_name, revision)
      select ${projection}, stream_name, revision from batch
      on conflict (projection, stream_name) do update set revision = excluded.revision
        where p.revision < excluded.revision
    )
    select stream_name, revision as previous from previous`.execute(trx);
  const applied = new Map(rows.map((row) => [row.stream_name, Number(row.previous)]));
  return events.filter((event) => event.revision > (applied.get(event.streamName) ?? -1));
};

/**
 * A projection's `apply` from what it does with one event: each event of the batch is applied once, a replayed
 * one (see {@link claimEvents}) skipped.
 */
export const applyEachNewEvent =
  <DB>(projection: string, applyEvent: (trx: Transaction<DB>, event: RecordedEvent) => Promise<void>) =>
  async (events: readonly RecordedEvent[], trx: Transaction<DB>): Promise<void> => {
    for (const event of await claimEvents(trx as unknown as Transaction<unknown>, projection, events))
      await applyEvent(trx, event);
  };

/**
 * A projection's `apply` that sees a whole batch at once: the batch's events new to `projection` (a replayed one
 * left out, see {@link claimEvents}), claimed in one round trip, handed over together; nothing when none is new.
 */
export const applyNewEvents =
  <DB>(
    projection: string,
    applyAll: (trx: Transaction<DB>, events: readonly RecordedEvent[]) => Promise<void>,
  ) =>
  async (events: readonly RecordedEvent[], trx: Transaction<DB>): Promise<void> => {
    const fresh = await claimEvents(trx as unknown as Transaction<unknown>, projection, events);
    if (fresh.length > 0) await applyAll(trx, fresh);
  };

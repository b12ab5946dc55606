import { sql, type Kysely } from 'kysely';

/**
 * The event log table. Positions are (transaction_id, global_position): a sequence alone is not a safe order
 * for readers because sequence values commit out of order; ordering by the writing transaction's id first and
 * reading only below the oldest transaction still in flight (`pg_snapshot_xmin`) means every event a reader
 * has passed is final, and a late-committing one always sorts after what was already delivered.
 */
export const createEventStoreSchema = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table if not exists es_events (
      global_position bigint generated always as identity,
      transaction_id xid8 not null default pg_current_xact_id(),
      stream_name text not null,
      stream_category text not null,
      revision bigint not null,
      event_id uuid not null,
      type text not null,
      data jsonb not null,
      metadata jsonb not null,
      occurred_at timestamptz not null,
      recorded_at timestamptz not null default now(),
      constraint es_events_stream_revision_pk primary key (stream_name, revision),
      constraint es_events_event_id_key unique (event_id)
    )`.execute(db);
  await sql`create index if not exists es_events_log_order_idx on es_events (transaction_id, global_position)`.execute(
    db,
  );
};

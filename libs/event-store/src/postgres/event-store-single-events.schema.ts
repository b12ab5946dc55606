import { sql, type Migration } from 'kysely';
import { APPENDED_CHANNEL } from './event-store-batches.schema';

/**
 * The event store's fourth migration: the usual batch of group commit — one event per append, each to a stream
 * of its own — as one statement over arrays. Named after every migration that existed before it.
 */
export const EVENT_STORE_SINGLE_EVENTS_MIGRATION_NAME = '2026-12-01T17-00-00_event-store-single-events';

export const eventStoreSingleEventsMigration: Migration = {
  up: async (db) => {
    await sql.raw(APPEND_SINGLE_EVENTS_FUNCTION).execute(db);
  },
  down: async (db) => {
    await sql`drop function if exists es_append_single_events(text[], text[], text[], bigint[], uuid[], text[],
      jsonb[], jsonb[], timestamptz[])`.execute(db);
  },
};

/**
 * One statement, no JSON to unpack: the streams' advisory locks first, in the order `es_append_batch` takes
 * them, then each stream's head, then the events inserted in batch order (so positions follow it), one
 * notification. A row for each append it wrote (`append_ordinal`, 1-based), none for any other — a stale
 * expectation, a replay, an id stored elsewhere, or a head moved by a writer that committed after the
 * statement's snapshot (the insert then meets that revision and does nothing); the caller sends those on to
 * `es_append_batch`, which decides them under the locks with a fresh snapshot.
 * A function only for its generic plan: as a prepared statement, Postgres re-planned it at every call (a custom
 * plan, its arrays' sizes known, always looks cheaper), and planning cost as much as running it.
 */
const APPEND_SINGLE_EVENTS_FUNCTION = `
create or replace function es_append_single_events(p_streams text[], p_categories text[], p_expected text[],
  p_expected_revisions bigint[], p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[],
  p_occurred_at timestamptz[])
returns table (append_ordinal integer, outcome text, revision bigint, transaction_text text, position_text text)
language plpgsql
set plan_cache_mode = force_generic_plan
as $$
begin
  return query
    with appends as (
      select * from unnest(p_streams, p_categories, p_expected, p_expected_revisions, p_ids, p_types, p_data,
          p_metadata, p_occurred_at) with ordinality
        as a(stream, category, expected, expected_revision, event_id, type, data, metadata, occurred_at, ordinal)
    ), locked as (
      -- 1702 keeps these locks apart from the application's own two-key advisory locks.
      select a.*, pg_advisory_xact_lock(1702, hashtext(a.stream)) as held
      from (select * from appends order by hashtext(appends.stream)) a
    ), appended as (
      insert into es_events as e (stream_name, stream_category, revision, event_id, type, data, metadata, occurred_at)
      select l.stream, l.category, head.next, l.event_id, l.type, l.data, l.metadata, l.occurred_at
      from locked l, lateral (select coalesce((select h.revision from es_events h where h.stream_name = l.stream
          order by h.revision desc limit 1), -1) + 1 as next) as head
      where case l.expected when 'any' then true when 'no_stream' then head.next = 0
        when 'stream_exists' then head.next > 0 else head.next = l.expected_revision + 1 end
      order by l.ordinal
      on conflict do nothing
      returning e.event_id, e.revision, e.transaction_id, e.global_position)
    select a.ordinal::integer, 'appended'::text, ap.revision, ap.transaction_id::text, ap.global_position::text
    from appended ap join appends a on a.event_id = ap.event_id;
  if found then
    perform pg_notify('${APPENDED_CHANNEL}', current_schema() || ' ' || pg_current_xact_id()::text);
  end if;
end
$$`;

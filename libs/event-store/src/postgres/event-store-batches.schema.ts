import { sql, type Migration } from 'kysely';

/**
 * The event store's second migration: appends in batches (group commit), one notification per appending
 * transaction, and the snapshot table. Named after every migration that existed before it, so databases that ran
 * those run it next.
 */
export const EVENT_STORE_BATCHES_MIGRATION_NAME = '2026-12-01T10-00-00_event-store-batches-and-snapshots';

/** The channel every appending transaction notifies once, its payload `<schema> <transaction id>`. */
export const APPENDED_CHANNEL = 'es_appended';

export const eventStoreBatchesMigration: Migration = {
  up: async (db) => {
    await sql.raw(APPEND_BATCH_FUNCTION).execute(db);
    await sql`
      create table if not exists es_snapshots (
        stream_name text not null primary key,
        revision bigint not null,
        schema_version integer not null,
        state jsonb not null,
        taken_at timestamptz not null default now()
      )`.execute(db);
  },
  down: async (db) => {
    await sql`drop table if exists es_snapshots`.execute(db);
    await sql`drop function if exists es_append_batch(jsonb)`.execute(db);
  },
};

/**
 * Appends a batch of appends in one call and one transaction, answering one row per append, in order:
 * - `appended`: its events were written; the row carries the last event's revision and position;
 * - `replay`: every event id is stored already in this stream, by this batch or an earlier append; the row
 *   carries that append's last revision and position;
 * - `id_conflict`: some of its event ids are stored, but not as this append (another stream, or only some);
 * - `conflict`: the expectation does not hold; the row carries the stream's actual revision (null: no stream).
 * No outcome raises an error, so one append never rolls back another: a unique key raced by a concurrent
 * transaction (the same event ids into another stream) is met with `on conflict do nothing` and this append's
 * rows are taken back. The streams' advisory locks are taken up front in one order, so two batches never
 * deadlock on them; appends to one stream within a batch apply in array order and see each other.
 * One notification per transaction (Postgres folds identical ones), only when something was written.
 * `p_appends` is `[{ "stream", "category", "expected", "events": [{ "id", "type", "data", "metadata" }] }]`,
 * `expected` being 'any', 'stream_exists', 'no_stream' or a revision.
 */
const APPEND_BATCH_FUNCTION = `
create or replace function es_append_batch(p_appends jsonb)
returns table (append_ordinal integer, outcome text, revision bigint, transaction_text text, position_text text)
language plpgsql as $$
declare
  v_append jsonb;
  v_ordinal integer;
  v_stream text;
  v_expected text;
  v_ids uuid[];
  v_found integer;
  v_same integer;
  v_last bigint;
  v_base bigint;
  v_inserted integer;
  v_revision bigint;
  v_position bigint;
  v_written boolean := false;
begin
  -- 1702 keeps these locks apart from the application's own two-key advisory locks.
  perform pg_advisory_xact_lock(1702, locks.h)
    from (select distinct hashtext(a.value->>'stream') as h from jsonb_array_elements(p_appends) a order by 1) locks;
  for v_append, v_ordinal in
    select a.value, a.ordinality::integer from jsonb_array_elements(p_appends) with ordinality a
  loop
    v_stream := v_append->>'stream';
    v_expected := v_append->>'expected';
    v_ids := array(select (x.value->>'id')::uuid from jsonb_array_elements(v_append->'events') x);
    select count(*), count(*) filter (where e.stream_name = v_stream) into v_found, v_same
      from es_events e where e.event_id = any(v_ids);
    if v_found > 0 then
      if v_found = cardinality(v_ids) and v_same = v_found then
        return query select v_ordinal, 'replay'::text, e.revision, e.transaction_id::text, e.global_position::text
          from es_events e where e.event_id = any(v_ids) order by e.revision desc limit 1;
      else
        return query select v_ordinal, 'id_conflict'::text, null::bigint, null::text, null::text;
      end if;
      continue;
    end if;
    v_last := null;
    select e.revision into v_last from es_events e where e.stream_name = v_stream order by e.revision desc limit 1;
    v_base := null;
    if v_expected = 'any' then
      v_base := coalesce(v_last, -1);
    elsif v_expected = 'stream_exists' then
      v_base := v_last;
    elsif v_expected = 'no_stream' then
      v_base := case when v_last is null then -1 end;
    elsif v_last = v_expected::bigint then
      v_base := v_last;
    end if;
    if v_base is null then
      return query select v_ordinal, 'conflict'::text, v_last, null::text, null::text;
      continue;
    end if;
    with inserted as (
      insert into es_events as e (stream_name, stream_category, revision, event_id, type, data, metadata, occurred_at)
      select v_stream, v_append->>'category', v_base + t.ordinal, (t.event->>'id')::uuid, t.event->>'type',
        t.event->'data', t.event->'metadata', (t.event->'metadata'->>'occurredAt')::timestamptz
      from jsonb_array_elements(v_append->'events') with ordinality as t(event, ordinal)
      order by t.ordinal
      on conflict do nothing
      returning e.revision, e.global_position)
    select count(*), max(i.revision), max(i.global_position) into v_inserted, v_revision, v_position from inserted i;
    if v_inserted < cardinality(v_ids) then
      -- A concurrent transaction stored some of these ids (in another stream): take this append's rows back.
      delete from es_events e where e.stream_name = v_stream and e.event_id = any(v_ids)
        and e.transaction_id = pg_current_xact_id();
      return query select v_ordinal, 'id_conflict'::text, null::bigint, null::text, null::text;
      continue;
    end if;
    v_written := true;
    return query select v_ordinal, 'appended'::text, v_revision, pg_current_xact_id()::text, v_position::text;
  end loop;
  if v_written then
    perform pg_notify('${APPENDED_CHANNEL}', current_schema() || ' ' || pg_current_xact_id()::text);
  end if;
end
$$`;

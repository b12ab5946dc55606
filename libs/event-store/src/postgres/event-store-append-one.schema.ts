import { sql, type Migration } from 'kysely';
import { APPENDED_CHANNEL } from './event-store-batches.schema';

/**
 * The event store's third migration: a lean function for a batch of one append, the whole batch of a lone
 * writer. Named after every migration that existed before it, so databases that ran those run it next.
 */
export const EVENT_STORE_APPEND_ONE_MIGRATION_NAME = '2026-12-01T14-00-00_event-store-append-one';

export const eventStoreAppendOneMigration: Migration = {
  up: async (db) => {
    await sql.raw(APPEND_ONE_FUNCTION).execute(db);
  },
  down: async (db) => {
    await sql`drop function if exists es_append_one(text, text, text, jsonb)`.execute(db);
  },
};

/**
 * One append, with the outcomes `es_append_batch` answers for it (see there): `appended`, `replay`,
 * `id_conflict` or `conflict`, the same revision, transaction and position, the same stream lock, the same one
 * notification. What a lone append does not need is left out: no batch to decode (the stream, category and
 * expectation come as parameters), no check that streams and ids are distinct across appends, no outcome arrays,
 * and four statements in all (lock; stored ids and stream head together; insert; notify), a single event
 * inserted with `values` rather than through a set. That batch function's fixed cost was what kept a lone writer
 * below a raw INSERT.
 * The plans are generic: a custom plan per call (Postgres's default for the first calls and whenever it guesses
 * one cheaper) re-plans every statement each time, which costs more than running them.
 */
export const APPEND_ONE_FUNCTION = `
create or replace function es_append_one(p_stream text, p_category text, p_expected text, p_events jsonb,
  out outcome text, out revision bigint, out transaction_text text, out position_text text)
language plpgsql
set plan_cache_mode = force_generic_plan
as $$
declare
  v_count integer := jsonb_array_length(p_events);
  v_ids uuid[];
  v_found integer;
  v_same integer;
  v_last bigint;
  v_base bigint;
  v_inserted integer;
  v_position bigint;
begin
  v_ids := case when v_count = 1 then array[(p_events->0->>'id')::uuid]
    else array(select (x.value->>'id')::uuid from jsonb_array_elements(p_events) x) end;
  -- 1702 keeps these locks apart from the application's own two-key advisory locks.
  perform pg_advisory_xact_lock(1702, hashtext(p_stream));
  select count(*), count(*) filter (where e.stream_name = p_stream),
      (select h.revision from es_events h where h.stream_name = p_stream order by h.revision desc limit 1)
    into v_found, v_same, v_last
    from es_events e where e.event_id = any(v_ids);
  if v_found > 0 then
    if v_found = v_count and v_same = v_found then
      select 'replay', e.revision, e.transaction_id::text, e.global_position::text
        into outcome, revision, transaction_text, position_text
        from es_events e where e.event_id = any(v_ids) order by e.revision desc limit 1;
    else
      outcome := 'id_conflict';
    end if;
    return;
  end if;
  if p_expected = 'any' then
    v_base := coalesce(v_last, -1);
  elsif p_expected = 'stream_exists' then
    v_base := v_last;
  elsif p_expected = 'no_stream' then
    v_base := case when v_last is null then -1 end;
  elsif v_last = p_expected::bigint then
    v_base := v_last;
  end if;
  if v_base is null then
    outcome := 'conflict';
    revision := v_last;
    return;
  end if;
  if v_count = 1 then
    insert into es_events as e (stream_name, stream_category, revision, event_id, type, data, metadata, occurred_at)
      values (p_stream, p_category, v_base + 1, v_ids[1], p_events->0->>'type', p_events->0->'data',
        p_events->0->'metadata', (p_events->0->'metadata'->>'occurredAt')::timestamptz)
      on conflict do nothing
      returning e.revision, e.global_position into revision, v_position;
    get diagnostics v_inserted = row_count;
  else
    with inserted as (
      insert into es_events as e (stream_name, stream_category, revision, event_id, type, data, metadata, occurred_at)
      select p_stream, p_category, v_base + x.ordinality, (x.value->>'id')::uuid, x.value->>'type',
        x.value->'data', x.value->'metadata', (x.value->'metadata'->>'occurredAt')::timestamptz
      from jsonb_array_elements(p_events) with ordinality x
      order by x.ordinality
      on conflict do nothing
      returning e.revision, e.global_position)
    select count(*), max(i.revision), max(i.global_position) into v_inserted, revision, v_position from inserted i;
  end if;
  if v_inserted < v_count then
    -- A concurrent transaction stored some of these ids (in another stream), or the append names one id twice:
    -- take this append's rows back.
    delete from es_events e where e.stream_name = p_stream and e.event_id = any(v_ids)
      and e.transaction_id = pg_current_xact_id();
    outcome := 'id_conflict';
    revision := null;
    return;
  end if;
  outcome := 'appended';
  transaction_text := pg_current_xact_id()::text;
  position_text := v_position::text;
  perform pg_notify('${APPENDED_CHANNEL}', current_schema() || ' ' || transaction_text);
end
$$`;

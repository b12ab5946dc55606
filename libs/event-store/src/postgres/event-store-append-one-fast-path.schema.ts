import { sql, type Migration } from 'kysely';
import { APPEND_ONE_FUNCTION } from './event-store-append-one.schema';
import { APPENDED_CHANNEL } from './event-store-batches.schema';

/**
 * The event store's fifth migration: `es_append_one` tries the append first and asks why only when it did not
 * go in. Named after every migration that existed before it.
 */
export const EVENT_STORE_APPEND_ONE_FAST_PATH_MIGRATION_NAME =
  '2026-12-02T01-00-00_event-store-append-one-fast-path';

export const eventStoreAppendOneFastPathMigration: Migration = {
  up: async (db) => {
    await sql.raw(APPEND_ONE_FAST_PATH_FUNCTION).execute(db);
  },
  down: async (db) => {
    await sql.raw(APPEND_ONE_FUNCTION).execute(db);
  },
};

/**
 * The same outcomes, lock, notification and generic plans as the function it replaces (see there), in three
 * statements when the append goes in: the stream lock, the head revision, the insert. The stored-id lookup that
 * came before the insert on every call now runs only after an insert that did not take every event, or an
 * expectation that failed: a replay or an id stored elsewhere leaves the insert short (`on conflict do nothing`),
 * and ids are looked at before the expectation, as before, so a retry whose expectation has gone stale is still a
 * replay. A lone writer's append is one statement fewer than a raw INSERT's transaction would need to check the same.
 */
const APPEND_ONE_FAST_PATH_FUNCTION = `
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
  v_inserted integer := 0;
  v_position bigint;
begin
  v_ids := case when v_count = 1 then array[(p_events->0->>'id')::uuid]
    else array(select (x.value->>'id')::uuid from jsonb_array_elements(p_events) x) end;
  -- 1702 keeps these locks apart from the application's own two-key advisory locks.
  perform pg_advisory_xact_lock(1702, hashtext(p_stream));
  v_last := (select h.revision from es_events h where h.stream_name = p_stream order by h.revision desc limit 1);
  if p_expected = 'any' then
    v_base := coalesce(v_last, -1);
  elsif p_expected = 'stream_exists' then
    v_base := v_last;
  elsif p_expected = 'no_stream' then
    v_base := case when v_last is null then -1 end;
  elsif v_last = p_expected::bigint then
    v_base := v_last;
  end if;
  if v_base is not null then
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
    if v_inserted = v_count then
      outcome := 'appended';
      transaction_text := pg_current_xact_id()::text;
      position_text := v_position::text;
      perform pg_notify('${APPENDED_CHANNEL}', current_schema() || ' ' || transaction_text);
      return;
    end if;
    -- Short: some ids are stored already (here, in another stream, or named twice by this append). Take this
    -- append's rows back before looking at which.
    if v_inserted > 0 then
      delete from es_events e where e.stream_name = p_stream and e.event_id = any(v_ids)
        and e.transaction_id = pg_current_xact_id();
    end if;
  end if;
  select count(*), count(*) filter (where e.stream_name = p_stream) into v_found, v_same
    from es_events e where e.event_id = any(v_ids);
  if v_found > 0 then
    if v_found = v_count and v_same = v_found then
      select 'replay', e.revision, e.transaction_id::text, e.global_position::text
        into outcome, revision, transaction_text, position_text
        from es_events e where e.event_id = any(v_ids) order by e.revision desc limit 1;
    else
      outcome := 'id_conflict';
      revision := null;
    end if;
    return;
  end if;
  if v_base is null then
    outcome := 'conflict';
    revision := v_last;
    return;
  end if;
  -- Nothing stored before, yet the insert was short: the append names one id twice.
  outcome := 'id_conflict';
  revision := null;
end
$$`;

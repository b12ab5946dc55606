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
 * A batch of appends to distinct streams with distinct event ids (the usual one) goes set-based, a few statements
 * for the whole batch; any other goes append by append, in order.
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
  v_ordinals integer[];
  v_outcomes text[];
  v_revisions bigint[];
  v_positions bigint[];
  v_short integer[];
begin
  -- 1702 keeps these locks apart from the application's own two-key advisory locks.
  perform pg_advisory_xact_lock(1702, locks.h)
    from (select distinct hashtext(a.value->>'stream') as h from jsonb_array_elements(p_appends) a order by 1) locks;
  -- The usual batch, every append to a stream of its own and no event id twice, goes set-based: a few statements
  -- for the whole batch instead of a few per append, with the outcomes the loop below would answer.
  if (select count(distinct a.value->>'stream') = count(*) from jsonb_array_elements(p_appends) a)
     and (select count(distinct x.value->>'id') = count(*)
            from jsonb_array_elements(p_appends) a, jsonb_array_elements(a.value->'events') x) then
    with appends as (
      select a.ordinality::integer as ord, a.value->>'stream' as stream, a.value->>'category' as category,
        a.value->>'expected' as expected, jsonb_array_length(a.value->'events') as event_count, a.value->'events' as events
      from jsonb_array_elements(p_appends) with ordinality a
    ), stored as (
      select ap.ord, count(*) as found, count(*) filter (where e.stream_name = ap.stream) as same
      from appends ap, jsonb_array_elements(ap.events) x, es_events e
      where e.event_id = (x.value->>'id')::uuid
      group by ap.ord
    ), decided as (
      select ap.ord, ap.stream, ap.category, ap.events, ap.event_count, s.found, s.same, h.last,
        case
          when s.found is not null then null
          when ap.expected = 'any' then coalesce(h.last, -1)
          when ap.expected = 'stream_exists' then h.last
          when ap.expected = 'no_stream' then case when h.last is null then -1 end
          when h.last = ap.expected::bigint then h.last
        end as base
      from appends ap
      left join stored s on s.ord = ap.ord
      left join lateral (select e.revision as last from es_events e where e.stream_name = ap.stream
                         order by e.revision desc limit 1) h on true
    ), inserted as (
      insert into es_events as e (stream_name, stream_category, revision, event_id, type, data, metadata, occurred_at)
      select d.stream, d.category, d.base + x.ordinality, (x.value->>'id')::uuid, x.value->>'type',
        x.value->'data', x.value->'metadata', (x.value->'metadata'->>'occurredAt')::timestamptz
      from decided d, jsonb_array_elements(d.events) with ordinality x
      where d.base is not null
      order by d.ord, x.ordinality
      on conflict do nothing
      returning e.stream_name, e.revision, e.global_position
    ), written as (
      select i.stream_name, count(*) as inserted, max(i.revision) as revision, max(i.global_position) as position
      from inserted i group by i.stream_name
    )
    select array_agg(d.ord order by d.ord),
      array_agg(case
        when d.found is not null then case when d.found = d.event_count and d.same = d.found then 'replay' else 'id_conflict' end
        when d.base is null then 'conflict'
        when w.inserted = d.event_count then 'appended'
        else 'short' end order by d.ord),
      array_agg(case when d.found is not null then null when d.base is null then d.last else w.revision end order by d.ord),
      array_agg(w.position order by d.ord)
    into v_ordinals, v_outcomes, v_revisions, v_positions
    from decided d left join written w on w.stream_name = d.stream;
    if 'short' = any(v_outcomes) then
      -- A concurrent transaction stored some of these ids (in another stream): take those appends' rows back.
      select array_agg(o.ord) into v_short from unnest(v_outcomes) with ordinality o(outcome, ord) where o.outcome = 'short';
      delete from es_events e using jsonb_array_elements(p_appends) with ordinality a
        where a.ordinality = any(v_short) and e.stream_name = a.value->>'stream'
          and e.event_id in (select (x.value->>'id')::uuid from jsonb_array_elements(a.value->'events') x)
          and e.transaction_id = pg_current_xact_id();
    end if;
    return query
      with replays as (
        select a.ordinality::integer as ord, r.revision, r.transaction_id, r.global_position
        from jsonb_array_elements(p_appends) with ordinality a
        cross join lateral (select e.revision, e.transaction_id, e.global_position from es_events e
          where e.event_id in (select (x.value->>'id')::uuid from jsonb_array_elements(a.value->'events') x)
          order by e.revision desc limit 1) r
        where v_outcomes[a.ordinality] = 'replay'
      )
      select o.ord::integer,
        case when o.outcome = 'short' then 'id_conflict' else o.outcome end,
        case when o.outcome = 'replay' then rp.revision when o.outcome = 'short' then null else v_revisions[o.ord] end,
        case when o.outcome = 'appended' then pg_current_xact_id()::text
             when o.outcome = 'replay' then rp.transaction_id::text end,
        case when o.outcome = 'appended' then v_positions[o.ord]::text
             when o.outcome = 'replay' then rp.global_position::text end
      from unnest(v_outcomes) with ordinality o(outcome, ord)
      left join replays rp on rp.ord = o.ord;
    if 'appended' = any(v_outcomes) then
      perform pg_notify('${APPENDED_CHANNEL}', current_schema() || ' ' || pg_current_xact_id()::text);
    end if;
    return;
  end if;
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

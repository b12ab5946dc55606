import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import {
  EVENT_STORE_APPEND_ONE_MIGRATION_NAME,
  eventStoreAppendOneMigration,
} from './event-store-append-one.schema';
import {
  EVENT_STORE_APPEND_ONE_FAST_PATH_MIGRATION_NAME,
  eventStoreAppendOneFastPathMigration,
} from './event-store-append-one-fast-path.schema';
import {
  EVENT_STORE_SINGLE_EVENTS_MIGRATION_NAME,
  eventStoreSingleEventsMigration,
} from './event-store-single-events.schema';
import { EVENT_STORE_BATCHES_MIGRATION_NAME, eventStoreBatchesMigration } from './event-store-batches.schema';

/** The event store's migration: the first of the database's (see libs/read-store's migrations). */
export const EVENT_STORE_MIGRATION_NAME = '2026-12-01T00-00-00_event-store';

/**
 * The event log table. Positions are (transaction_id, global_position): a sequence alone is not a safe order
 * for readers because sequence values commit out of order; ordering by the writing transaction's id first and
 * reading only below the oldest transaction still in flight that could write here (READABLE_BOUND, in
 * postgres-event-store.ts) means every event a reader has passed is final, and a late-committing one always sorts
 * after what was already delivered.
 * `if not exists`: databases created before migrations existed already have the table.
 */
export const eventStoreMigration: Migration = {
  up: (db) => createTablesAndFunction(db),
  down: async (db) => {
    await sql`drop function if exists es_append(text, text, text, jsonb)`.execute(db);
    await sql`drop table if exists es_events`.execute(db);
  },
};

/** The event store's own migrations, by name: what a store used on its own runs (the application runs them too). */
export const EVENT_STORE_MIGRATIONS: Readonly<Record<string, Migration>> = {
  [EVENT_STORE_MIGRATION_NAME]: eventStoreMigration,
  [EVENT_STORE_BATCHES_MIGRATION_NAME]: eventStoreBatchesMigration,
  [EVENT_STORE_APPEND_ONE_MIGRATION_NAME]: eventStoreAppendOneMigration,
  [EVENT_STORE_SINGLE_EVENTS_MIGRATION_NAME]: eventStoreSingleEventsMigration,
  [EVENT_STORE_APPEND_ONE_FAST_PATH_MIGRATION_NAME]: eventStoreAppendOneFastPathMigration,
};

/**
 * Migrates a database that holds only the event store (tests, benchmarks, a store used on its own). Kysely's
 * Migrator takes its lock, so processes starting together take turns; an application database runs the
 * complete list of migrations instead.
 */
export const createEventStoreSchema = async (db: Kysely<unknown>): Promise<void> => {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...EVENT_STORE_MIGRATIONS }) },
    // Named, or Kysely finds its bookkeeping tables in any schema of the database and takes another's for its own.
    migrationTableSchema: (await sql<{ schema: string }>`select current_schema() as schema`.execute(db))
      .rows[0]?.schema,
  });
  const { error } = await migrator.migrateToLatest();
  if (error)
    throw error instanceof Error ? error : new Error('event store migration failed', { cause: error });
};

const createTablesAndFunction = async (db: Kysely<unknown>): Promise<void> => {
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
  await sql.raw(APPEND_FUNCTION).execute(db);
};

/**
 * Appends events if the stream is where the writer expects it: one call, one round trip, and a plan Postgres
 * caches. Writers to one stream take turns (a transaction-scoped advisory lock on the stream's name, held until
 * the writer commits), so the revision read is the stream's last and `any` or `stream_exists` never lose a race;
 * no append fails on a unique key, so one inside a caller's transaction never aborts it. Answers:
 * - the appended rows;
 * - no rows when an event id is already stored (a replay: the caller looks up the append that stored it);
 * - one row without a transaction id when the expectation does not hold, its revision the stream's actual one
 *   (null when the stream does not exist).
 * `expected` is 'any', 'stream_exists', 'no_stream' or a revision.
 */
const APPEND_FUNCTION = `
create or replace function es_append(p_stream text, p_category text, p_expected text, p_events jsonb)
returns table (appended_revision bigint, appended_transaction_id text, appended_position text)
language plpgsql as $$
declare
  v_last bigint;
  v_base bigint;
begin
  -- 1702 keeps these locks apart from the application's own two-key advisory locks.
  perform pg_advisory_xact_lock(1702, hashtext(p_stream));
  if exists (select 1 from es_events e
             where e.event_id in (select (t.event->>'id')::uuid from jsonb_array_elements(p_events) as t(event))) then
    return;
  end if;
  select e.revision into v_last from es_events e where e.stream_name = p_stream order by e.revision desc limit 1;
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
    return query select v_last, null::text, null::text;
    return;
  end if;
  return query
    insert into es_events as e (stream_name, stream_category, revision, event_id, type, data, metadata, occurred_at)
    select p_stream, p_category, v_base + t.ordinal, (t.event->>'id')::uuid, t.event->>'type', t.event->'data',
      t.event->'metadata', (t.event->'metadata'->>'occurredAt')::timestamptz
    from jsonb_array_elements(p_events) with ordinality as t(event, ordinal)
    order by t.ordinal
    returning e.revision, e.transaction_id::text, e.global_position::text;
end
$$`;

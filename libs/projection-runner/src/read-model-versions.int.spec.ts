import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { PostgresEventStore, type EventStore, type NewEvent } from '@app/event-store';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { applyEachNewEvent } from './event-guard';
import type { Projection } from './projection';
import type { CheckpointDatabase } from './projection-checkpoints.table';
import { ProjectionRunner } from './projection-runner';
import { ReadModelCatalog } from './read-model-catalog';
import {
  adoptVersionsWithoutTables,
  listVersions,
  pruneRetiredVersions,
  versionSchemaName,
} from './read-model-versions';

interface TalliesDatabase {
  tallies: { stream_name: string; total: number };
}
type TestDatabase = TalliesDatabase & CheckpointDatabase;

const NAME = 'tallies';

/** Version 1 counts each stream's events; version 2 adds up their amounts instead. */
const talliesV1: Projection<TalliesDatabase> = {
  name: NAME,
  version: 1,
  handles: ['Tallied'],
  tables: ['tallies'],
  apply: applyEachNewEvent(NAME, async (trx, event) => {
    await trx
      .insertInto('tallies')
      .values({ stream_name: event.streamName, total: 1 })
      .onConflict((oc) =>
        oc.column('stream_name').doUpdateSet((eb) => ({ total: eb('tallies.total', '+', 1) })),
      )
      .execute();
  }),
};

/** Version 2, which refuses the event of amount 13 while `held` says so: a rebuild stopped half-way. */
const talliesV2 = (held: { amount13: boolean }): Projection<TalliesDatabase> => ({
  ...talliesV1,
  version: 2,
  apply: applyEachNewEvent(NAME, async (trx, event) => {
    const { amount } = event.data as { amount: number };
    if (amount === 13 && held.amount13) throw new Error('held at the event of amount 13');
    await trx
      .insertInto('tallies')
      .values({ stream_name: event.streamName, total: amount })
      .onConflict((oc) =>
        oc.column('stream_name').doUpdateSet((eb) => ({ total: eb('tallies.total', '+', amount) })),
      )
      .execute();
  }),
});

const tallied = (amount: number): NewEvent => ({
  id: randomUUID(),
  type: 'Tallied',
  data: { amount },
  metadata: {
    actor: { kind: 'system', rule: 'test' },
    occurredAt: '2026-01-01T00:00:00.000Z',
    correlationId: 'c',
    causationId: 'c',
    schemaVersion: 1,
  },
});

/** Two streams; the event of amount 13 comes in the middle of the log. */
const appendLog = async (store: EventStore) => {
  for (let n = 1; n <= 20; n++) {
    await store.append(`tally-${n % 2 === 0 ? 'even' : 'odd'}`, [tallied(n === 10 ? 13 : n)], 'any');
  }
  // Every event appended, even while another test's transaction on the server still hides some from readers.
  return (await store.lastCommittedPosition())!;
};

const setUp = async () => {
  const connection = await openTestDatabase();
  const db = connection.db as Kysely<TestDatabase>;
  await migrateToLatest(db as Kysely<unknown>);
  // The read model's migration: the shape every version's copy is made from.
  await sql`create table tallies (stream_name text primary key, total int not null)`.execute(db);
  const store = PostgresEventStore.open(db as Kysely<unknown>);
  const catalog = new ReadModelCatalog(db, [talliesV1]);
  const served = async () => {
    await catalog.refresh();
    return catalog.db.selectFrom('tallies').select(['stream_name', 'total']).orderBy('stream_name').execute();
  };
  return { connection, db, store, served };
};

/** Each version's number, state and schema, oldest first. */
const registered = async (db: Kysely<TestDatabase>) =>
  (await listVersions(db as Kysely<unknown>)).map(({ version, state, schema_name }) => ({
    version,
    state,
    schema_name,
  }));

const runner = (db: Kysely<TestDatabase>, store: EventStore, projection: Projection<TalliesDatabase>) =>
  new ProjectionRunner({
    db,
    store,
    projections: [projection],
    batchSize: 4,
    idleMs: 5,
    backoff: { firstMs: 5, maxMs: 20 },
  });

const until = async (condition: () => Promise<boolean>) => {
  for (let attempt = 0; attempt < 1_000 && !(await condition()); attempt++)
    await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('a new version of a projection', () => {
  const opened: DatabaseConnection[] = [];
  afterEach(async () => {
    for (const connection of opened.splice(0)) await connection.close();
  });

  it('is built beside the one queries read, which they switch from only once it has caught up', async () => {
    const { connection, db, store, served } = await setUp();
    opened.push(connection);
    const head = await appendLog(store);

    const first = runner(db, store, talliesV1);
    first.start();
    expect(await first.caughtUpTo(head, 60_000)).toBe(true);
    await first.stop();
    const counted = [
      { stream_name: 'tally-even', total: 10 },
      { stream_name: 'tally-odd', total: 10 },
    ];
    expect(await served()).toEqual(counted);

    const held = { amount13: true };
    const second = runner(db, store, talliesV2(held));
    second.start();
    try {
      await until(async () =>
        (await second.status()).some((row) => row.version === 2 && row.status === 'failing'),
      );
      const building = (await second.status()).find((row) => row.version === 2)!;
      expect(building.position! < head).toBe(true);
      expect(Number(building.events_applied)).toBeGreaterThan(0);
      expect(
        (await listVersions(db as Kysely<unknown>)).map(({ version, state }) => ({ version, state })),
      ).toEqual([
        { version: 1, state: 'active' },
        { version: 2, state: 'building' },
      ]);
      expect(await served()).toEqual(counted);

      held.amount13 = false;
      expect(await second.caughtUpTo(head, 60_000)).toBe(true);
    } finally {
      await second.stop();
    }
    const summed = [
      { stream_name: 'tally-even', total: 2 + 4 + 6 + 8 + 13 + 12 + 14 + 16 + 18 + 20 },
      { stream_name: 'tally-odd', total: 1 + 3 + 5 + 7 + 9 + 11 + 13 + 15 + 17 + 19 },
    ];
    expect(await served()).toEqual(summed);
    expect(
      (await listVersions(db as Kysely<unknown>)).map(({ version, state }) => ({ version, state })),
    ).toEqual([
      { version: 1, state: 'retired' },
      { version: 2, state: 'active' },
    ]);

    const fresh = await setUp();
    opened.push(fresh.connection);
    const freshHead = await appendLog(fresh.store);
    const freshRunner = runner(fresh.db, fresh.store, talliesV2({ amount13: false }));
    freshRunner.start();
    expect(await freshRunner.caughtUpTo(freshHead, 60_000)).toBe(true);
    await freshRunner.stop();
    expect(await fresh.served()).toEqual(await served());

    const base = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!
      .schema;
    expect(
      (await pruneRetiredVersions(db as Kysely<unknown>, [talliesV2(held)])).map((row) => row.version),
    ).toEqual([1]);
    const schemas = await sql<{ name: string }>`
      select nspname as name from pg_namespace where nspname like ${`${base}\\_\\_tallies%`}`.execute(db);
    expect(schemas.rows.map((row) => row.name)).toEqual([versionSchemaName(base, talliesV2(held))]);
    expect(await served()).toEqual(summed);
  });

  it('adopts, where it lies, the version a database built before versions had schemas of their own', async () => {
    const { connection, db, store, served } = await setUp();
    opened.push(connection);
    const head = await appendLog(store);
    // As the runner left a database before this change: rows, guard and checkpoint in the connection's schema.
    await db
      .insertInto('projection_checkpoints')
      .values({ name: NAME, version: 1, position: head, status: 'running' })
      .execute();
    await db.insertInto('tallies').values({ stream_name: 'tally-even', total: 10 }).execute();

    const upgraded = runner(db, store, talliesV1);
    upgraded.start();
    expect(await upgraded.caughtUpTo(head, 60_000)).toBe(true);
    await upgraded.stop();
    const base = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!
      .schema;
    expect(await registered(db)).toEqual([{ version: 1, state: 'active', schema_name: base }]);
    expect(await served()).toEqual([{ stream_name: 'tally-even', total: 10 }]);
  });

  it('adopts where its rows are a version that named no tables, and builds the next one beside it', async () => {
    const { connection, db, store, served } = await setUp();
    opened.push(connection);
    const head = await appendLog(store);
    // As the runner left a projection that did not name its tables yet: rows in the connection's schema, the
    // replay guard in a version schema of its own that holds no copy of them.
    const untabled = runner(db, store, { ...talliesV1, tables: [] });
    untabled.start();
    expect(await untabled.caughtUpTo(head, 60_000)).toBe(true);
    await untabled.stop();
    const base = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!
      .schema;
    const ownSchema = versionSchemaName(base, talliesV1);
    expect((await listVersions(db as Kysely<unknown>)).map((row) => row.schema_name)).toEqual([ownSchema]);

    const adopt = () =>
      adoptVersionsWithoutTables(db as Kysely<unknown>, { name: NAME, tables: ['tallies'] });
    expect(await adopt()).toEqual([1]);
    expect(await adopt()).toEqual([]);
    expect(await registered(db)).toEqual([{ version: 1, state: 'active', schema_name: base }]);
    const left = await sql<{ name: string }>`
      select nspname as name from pg_namespace where nspname = ${ownSchema}`.execute(db);
    expect(left.rows).toEqual([]);
    const counted = [
      { stream_name: 'tally-even', total: 10 },
      { stream_name: 'tally-odd', total: 10 },
    ];
    expect(await served()).toEqual(counted);

    // The guard came along: the adopted version, run again over the whole log, counts nothing twice.
    await db.updateTable('projection_checkpoints').set({ position: null }).where('name', '=', NAME).execute();
    const again = runner(db, store, talliesV1);
    again.start();
    expect(await again.caughtUpTo(head, 60_000)).toBe(true);
    await again.stop();
    expect(await served()).toEqual(counted);

    const next = runner(db, store, talliesV2({ amount13: false }));
    next.start();
    expect(await next.caughtUpTo(head, 60_000)).toBe(true);
    await next.stop();
    expect(await registered(db)).toEqual([
      { version: 1, state: 'retired', schema_name: base },
      { version: 2, state: 'active', schema_name: versionSchemaName(base, talliesV2({ amount13: false })) },
    ]);
    expect((await served()).map((row) => row.total)).toEqual([113, 100]);
  });
});

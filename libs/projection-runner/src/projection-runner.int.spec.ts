import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { PostgresEventStore, type NewEvent, type Position } from '@app/event-store';
import { migrateToLatest } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import type { Projection } from './projection';
import type { CheckpointDatabase } from './projection-checkpoints.table';
import { ProjectionRunner } from './projection-runner';

interface CountsDatabase {
  event_counts: { stream_name: string; events: number; last_revision: number };
}
type TestDatabase = CountsDatabase & CheckpointDatabase;

/** Counts each stream's events; refuses to apply an event of type Poison. */
const counting = (name: string, handles = ['Counted', 'Poison']): Projection<CountsDatabase> => ({
  name,
  version: 1,
  handles,
  apply: async (events, trx) => {
    for (const event of events) {
      if (event.type === 'Poison') throw new Error(`cannot apply ${event.id}`);
      await trx
        .insertInto('event_counts')
        .values({ stream_name: `${name}:${event.streamName}`, events: 1, last_revision: event.revision })
        .onConflict((oc) =>
          oc.column('stream_name').doUpdateSet((eb) => ({
            events: eb('event_counts.events', '+', 1),
            last_revision: eb.ref('excluded.last_revision'),
          })),
        )
        .execute();
    }
  },
});

const event = (type: string): NewEvent => ({
  id: randomUUID(),
  type,
  data: {},
  metadata: {
    actor: { kind: 'system', rule: 'test' },
    occurredAt: '2026-01-01T00:00:00.000Z',
    correlationId: 'c',
    causationId: 'c',
    schemaVersion: 1,
  },
});

const setUp = async () => {
  const connection = await openTestDatabase();
  const db = connection.db as Kysely<TestDatabase>;
  await migrateToLatest(db as Kysely<unknown>);
  await sql`create table event_counts (stream_name text primary key, events int not null, last_revision int not null)`.execute(
    db,
  );
  const store = PostgresEventStore.open(db as Kysely<unknown>);
  return { connection, db, store };
};

const counts = async (db: Kysely<TestDatabase>, projection: string) =>
  Object.fromEntries(
    (
      await db
        .selectFrom('event_counts')
        .selectAll()
        .where('stream_name', 'like', `${projection}:%`)
        .execute()
    ).map((row) => [row.stream_name.slice(projection.length + 1), Number(row.events)]),
  );

describe('the projection runner', () => {
  it('applies every handled event once, across many batches, and moves the checkpoint to the head', async () => {
    const { connection, db, store } = await setUp();
    const runner = new ProjectionRunner({
      db,
      store,
      projections: [counting('counts')],
      batchSize: 7,
      idleMs: 10,
    });
    try {
      for (let n = 0; n < 30; n++)
        await store.append(`thing-${n % 4}`, [event('Counted'), event('Ignored')], 'any');
      runner.start();
      const head = (await store.lastCommittedPosition())!;
      expect(await runner.caughtUpTo(head)).toBe(true);
      expect(await counts(db, 'counts')).toEqual({ 'thing-0': 8, 'thing-1': 8, 'thing-2': 7, 'thing-3': 7 });
      const [status] = await runner.status();
      expect(status).toMatchObject({ name: 'counts', position: head, status: 'running' });
      expect(Number(status!.events_applied)).toBe(30);
      // Live: later appends arrive too.
      await store.append('thing-9', [event('Counted')], 'any');
      expect(await runner.caughtUpTo((await store.lastCommittedPosition())!)).toBe(true);
      expect((await counts(db, 'counts'))['thing-9']).toBe(1);
    } finally {
      await runner.stop();
      await connection.close();
    }
  });

  it('wakes an idle projection when an event is appended, without waiting for its next look', async () => {
    const { connection, db, store } = await setUp();
    // A look a minute apart: only the append's wake-up can bring the event within the wait below.
    const runner = new ProjectionRunner({ db, store, projections: [counting('woken')], idleMs: 60_000 });
    try {
      await store.append('thing-1', [event('Counted')], 'any');
      runner.start();
      expect(await runner.caughtUpTo((await store.lastCommittedPosition())!, 20_000)).toBe(true);
      for (let n = 2; n <= 4; n++) {
        await store.append(`thing-${n}`, [event('Counted')], 'any');
        expect(await runner.caughtUpTo((await store.lastCommittedPosition())!, 20_000)).toBe(true);
      }
      expect(await counts(db, 'woken')).toEqual({ 'thing-1': 1, 'thing-2': 1, 'thing-3': 1, 'thing-4': 1 });
    } finally {
      await runner.stop();
      await connection.close();
    }
  });

  it('gives each projection exactly its events from the shared pages, when pages and batches end apart', async () => {
    const { connection, db, store } = await setUp();
    // Pages of 3 log events, batches of 4 handled ones: a batch spans pages and ends in the middle of one.
    const runner = new ProjectionRunner({
      db,
      store,
      projections: [counting('counted'), counting('ignored', ['Ignored'])],
      batchSize: 4,
      pageSize: 3,
      idleMs: 10,
    });
    try {
      for (let n = 0; n < 25; n++)
        await store.append(`thing-${n % 3}`, [event('Counted'), event('Ignored'), event('Other')], 'any');
      runner.start();
      // Every event readable: on a shared server a transaction in flight elsewhere holds the readable head back.
      const written = await store.lastCommittedPosition();
      let head = await store.headPosition();
      while (head !== written) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        head = await store.headPosition();
      }
      expect(await runner.caughtUpTo(head!)).toBe(true);
      expect(await counts(db, 'counted')).toEqual({ 'thing-0': 9, 'thing-1': 8, 'thing-2': 8 });
      expect(await counts(db, 'ignored')).toEqual({ 'thing-0': 9, 'thing-1': 8, 'thing-2': 8 });
      const statuses = await runner.status();
      expect(statuses.map((row) => [row.name, row.position, Number(row.events_applied)])).toEqual([
        ['counted', head, 25],
        ['ignored', head, 25],
      ]);
    } finally {
      await runner.stop();
      await connection.close();
    }
  });

  it('lets two runners race on one projection without applying anything twice', async () => {
    const { connection, db, store } = await setUp();
    for (let n = 0; n < 200; n++) await store.append(`race-${n % 10}`, [event('Counted')], 'any');
    const runners = [1, 2].map(
      () => new ProjectionRunner({ db, store, projections: [counting('race')], batchSize: 5, idleMs: 5 }),
    );
    try {
      for (const runner of runners) runner.start();
      const head = (await store.lastCommittedPosition())!;
      expect(await runners[0]!.caughtUpTo(head, 30_000)).toBe(true);
      const totals = Object.values(await counts(db, 'race'));
      expect(totals).toEqual(Array.from({ length: 10 }, () => 20));
    } finally {
      await Promise.all(runners.map((runner) => runner.stop()));
      await connection.close();
    }
  });

  it('stops only the projection that cannot apply an event, after applying the events before it', async () => {
    const { connection, db, store } = await setUp();
    const failures: { projection: string; position: Position }[] = [];
    const runner = new ProjectionRunner({
      db,
      store,
      projections: [counting('fragile'), counting('sturdy', ['Counted'])],
      batchSize: 50,
      idleMs: 10,
      backoff: { firstMs: 60_000, maxMs: 60_000 },
      onFailure: ({ projection, position }) => failures.push({ projection, position }),
    });
    try {
      await store.append('p-1', [event('Counted'), event('Counted')], 'any');
      const poison = await store.append('p-1', [event('Poison')], 'any');
      await store.append('p-1', [event('Counted')], 'any');
      runner.start();
      const head = (await store.lastCommittedPosition())!;
      const sturdyDone = async () => {
        for (;;) {
          const rows = await runner.status();
          const sturdy = rows.find((row) => row.name === 'sturdy');
          const fragile = rows.find((row) => row.name === 'fragile');
          if (sturdy?.position === head && fragile?.status === 'failing') return { sturdy, fragile };
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      const { fragile } = await sturdyDone();
      expect(fragile).toMatchObject({ status: 'failing', error_position: poison.position });
      expect(fragile.last_error).toContain('cannot apply');
      expect(await counts(db, 'fragile')).toEqual({ 'p-1': 2 });
      expect(await counts(db, 'sturdy')).toEqual({ 'p-1': 3 });
      expect(failures).toEqual([{ projection: 'fragile', position: poison.position }]);
    } finally {
      await runner.stop();
      await connection.close();
    }
  });
});

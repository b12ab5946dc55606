import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@app/event-store';
import { openTestDatabase } from '@app/testing';
import { MIGRATIONS, migrateDown, migrateToLatest } from './migrations';

describe('database migrations', () => {
  it('apply every migration once, even when several processes start together', async () => {
    const connection = await openTestDatabase();
    try {
      const db = connection.db as Kysely<unknown>;
      const reports = await Promise.all(Array.from({ length: 4 }, () => migrateToLatest(db)));
      const applied = reports.flatMap((report) => report.applied);
      expect([...applied].sort()).toEqual(Object.keys(MIGRATIONS).sort());
      expect((await migrateToLatest(db)).applied).toEqual([]);
    } finally {
      await connection.close();
    }
  });

  it('start with the event store, so a store opened on the migrated database works', async () => {
    const connection = await openTestDatabase();
    try {
      const db = connection.db as Kysely<unknown>;
      await migrateToLatest(db);
      const store = PostgresEventStore.open(db);
      await store.append(
        'thing-1',
        [
          {
            id: '7f1d3c52-7d6b-4d6f-9f1e-2b7a7d1e0c11',
            type: 'Created',
            data: {},
            metadata: {
              actor: { kind: 'system', rule: 'test' },
              occurredAt: '2026-01-01T00:00:00.000Z',
              correlationId: 'c',
              causationId: 'c',
              schemaVersion: 1,
            },
          },
        ],
        'no_stream',
      );
      expect(await store.readStream('thing-1')).toHaveLength(1);
    } finally {
      await connection.close();
    }
  });

  it('adopt a database whose event store was created before migrations existed, keeping its events', async () => {
    const connection = await openTestDatabase();
    try {
      const db = connection.db as Kysely<unknown>;
      await PostgresEventStore.create(db);
      await sql`delete from kysely_migration`.execute(db);
      await sql`insert into es_events (stream_name, stream_category, revision, event_id, type, data, metadata, occurred_at)
        values ('thing-1', 'thing', 0, gen_random_uuid(), 'Created', '{}', '{}', now())`.execute(db);
      await migrateToLatest(db);
      expect(await PostgresEventStore.open(db).readStream('thing-1')).toHaveLength(1);
    } finally {
      await connection.close();
    }
  });

  it('undo the newest migration', async () => {
    const connection = await openTestDatabase();
    try {
      const db = connection.db as Kysely<unknown>;
      await migrateToLatest(db);
      const names = Object.keys(MIGRATIONS).sort();
      expect((await migrateDown(db)).applied).toEqual([names.at(-1)]);
    } finally {
      await connection.close();
    }
  });
});

describe('migrations beside another schema of the same database', () => {
  it.each([
    ['the application migrations', (db: Kysely<unknown>) => migrateToLatest(db), Object.keys(MIGRATIONS)],
    [
      'the event store on its own',
      (db: Kysely<unknown>) => PostgresEventStore.create(db),
      Object.keys(EVENT_STORE_MIGRATIONS).sort(),
    ],
  ])(
    'run %s in their own schema, not mistaking the other schema’s bookkeeping for theirs',
    async (_case, migrate, expected) => {
      const connection = await openTestDatabase();
      const other = `other_${randomBytes(5).toString('hex')}`;
      try {
        const db = connection.db as Kysely<unknown>;
        // Another deployment (or a test schema left behind) already migrated, in a schema of its own.
        await sql`create schema ${sql.id(other)}`.execute(db);
        await sql`create table ${sql.id(other, 'kysely_migration')} (name varchar(255) primary key, timestamp varchar(255) not null)`.execute(
          db,
        );
        await sql`create table ${sql.id(other, 'kysely_migration_lock')} (id varchar(255) primary key, is_locked integer not null default 0)`.execute(
          db,
        );
        await migrate(db);
        const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
        expect(rows.map((row) => row.name)).toEqual(expected);
      } finally {
        await sql`drop schema if exists ${sql.id(other)} cascade`.execute(connection.db);
        await connection.close();
      }
    },
  );
});

describe('the application migrations after the event store created its own', () => {
  it('runs the application migrations named before the event store’s later ones, and then has every table', async () => {
    const connection = await openTestDatabase();
    try {
      const db = connection.db as Kysely<unknown>;
      // A store used on its own first: its migrations are interleaved by name with the application's.
      await (await PostgresEventStore.create(db)).close();
      const { applied } = await migrateToLatest(db);
      expect(applied).toEqual(Object.keys(MIGRATIONS).filter((name) => !(name in EVENT_STORE_MIGRATIONS)));
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        db,
      );
      expect(rows.map((row) => row.name)).toEqual(Object.keys(MIGRATIONS).sort());
      expect((await migrateToLatest(db)).applied).toEqual([]);
    } finally {
      await connection.close();
    }
  });
});

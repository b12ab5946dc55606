import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { Client } from 'pg';
import { openDatabase, type DatabaseConnection } from '@app/read-store';
import { openTestDatabase, startTcpProxy } from '@app/testing';
import { describeEventStoreContract } from '../contract/event-store.contract';
import type { AppendResult } from '../event-store.port';
import { ConcurrencyError, StoreUnavailableError } from '../concurrency-error';
import { UpcasterRegistry } from '../upcasting';
import { headReaching } from '../readable-head';
import { testMetadata as metadata } from './append.fixtures.spec';
import { PostgresEventStore } from './postgres-event-store';

const POLL_INTERVAL_MS = 20;

const underTest = async (connection: DatabaseConnection) => {
  const db = connection.db as Kysely<unknown>;
  const store = await PostgresEventStore.create(db, {
    pollIntervalMs: POLL_INTERVAL_MS,
    directQuery: connection.query,
    ...(connection.listen ? { listen: connection.listen } : {}),
  });
  return {
    store,
    beginAppend: async (...[stream, events, expected]: Parameters<PostgresEventStore['append']>) => {
      let commit!: () => void;
      const committed = new Promise<void>((resolve) => (commit = resolve));
      let inserted!: () => void;
      const insertDone = new Promise<void>((resolve) => (inserted = resolve));
      const transaction = db.transaction().execute(async (trx) => {
        const result = await PostgresEventStore.open(trx).append(stream, events, expected);
        inserted();
        await committed;
        return result;
      });
      await Promise.race([insertDone, transaction]);
      return {
        commit: async (): Promise<AppendResult> => {
          commit();
          return transaction;
        },
      };
    },
    restartPositionsNear: async (value: bigint) => {
      await sql`alter table es_events alter column global_position restart with ${sql.raw(value.toString())}`.execute(
        db,
      );
    },
    close: async () => {
      await store.close();
      await connection.close();
    },
  };
};

describeEventStoreContract(
  'PGlite (embedded Postgres)',
  async () => underTest(await openDatabase({ kind: 'memory' })),
  { steerablePositions: true, oneTransactionAtATime: true },
);

const serverUrl = process.env.DATABASE_URL;
if (serverUrl) {
  describeEventStoreContract(
    'the Postgres server at DATABASE_URL',
    async () => {
      const schema = `es_contract_${randomBytes(6).toString('hex')}`;
      const connection = await openDatabase({ kind: 'server', url: serverUrl, schema, poolSize: 24 });
      return underTest({
        ...connection,
        close: async () => {
          await sql`drop schema ${sql.id(schema)} cascade`.execute(connection.db);
          await connection.close();
        },
      });
    },
    { steerablePositions: true },
  );
}

describe('PostgresEventStore schema', () => {
  it('can be created by several processes starting at once', async () => {
    const connection = await openTestDatabase();
    try {
      const db = connection.db as Kysely<unknown>;
      const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresEventStore.create(db)));
      await stores[0]!.append(
        'thing-1',
        [{ id: randomUUID(), type: 'Created', data: {}, metadata }],
        'no_stream',
      );
      expect(await stores[3]!.readStream('thing-1')).toHaveLength(1);
    } finally {
      await connection.close();
    }
  });
});

describe('PostgresEventStore upcasting', () => {
  it('reads an old event shape as the current one, version by version', async () => {
    const connection = await openDatabase({ kind: 'memory' });
    try {
      const db = connection.db as Kysely<unknown>;
      const upcasters = new UpcasterRegistry([
        {
          eventType: 'UserInvited',
          fromVersion: 1,
          upcast: (data) => ({ data: { ...(data as object), role: 'user' } }),
        },
        {
          eventType: 'UserInvited',
          fromVersion: 2,
          upcast: (data) => ({ type: 'InvitationSent', data: { invitation: data } }),
        },
      ]);
      const writer = await PostgresEventStore.create(db);
      await writer.append(
        'contract-1',
        [
          {
            id: '8d0c3a52-7d6b-4d6f-9f1e-2b7a7d1e0c11',
            type: 'UserInvited',
            data: { email: 'a@b.c' },
            metadata,
          },
        ],
        'no_stream',
      );
      const reader = PostgresEventStore.open(db, { upcasters });
      const [read] = await reader.readStream('contract-1');
      expect(read).toMatchObject({
        type: 'InvitationSent',
        data: { invitation: { email: 'a@b.c', role: 'user' } },
        metadata: { schemaVersion: 3 },
      });
      const [fromLog] = await reader.readAll();
      expect(fromLog?.type).toBe('InvitationSent');
    } finally {
      await connection.close();
    }
  });
});

describe('PostgresEventStore inside a caller transaction', () => {
  const newEvent = (type: string) => ({ id: randomUUID(), type, data: {}, metadata });

  it('refuses a stale or lost expectation with a ConcurrencyError and leaves the transaction usable', async () => {
    const connection = await openTestDatabase();
    try {
      const db = connection.db as Kysely<unknown>;
      const store = await PostgresEventStore.create(db);
      await store.append('thing-1', [newEvent('Created')], 'no_stream');
      const inside = await db.transaction().execute(async (trx) => {
        const bound = PostgresEventStore.open(trx);
        const refusals = await Promise.all(
          (['no_stream', 5] as const).map((expected) =>
            bound.append('thing-1', [newEvent('Late')], expected).then(
              () => 'appended',
              (error: unknown) => (error instanceof ConcurrencyError ? error.actual : error),
            ),
          ),
        );
        // The transaction still works: a later append in it commits with it.
        await bound.append('thing-1', [newEvent('Changed')], 0);
        return refusals;
      });
      expect(inside).toEqual([0, 0]);
      expect((await store.readStream('thing-1')).map((e) => e.type)).toEqual(['Created', 'Changed']);
    } finally {
      await connection.close();
    }
  });

  it('turns a race lost inside a caller transaction into a ConcurrencyError, not an aborted transaction', async () => {
    const connection = await openTestDatabase();
    try {
      const db = connection.db as Kysely<unknown>;
      const store = await PostgresEventStore.create(db);
      await store.append('thing-2', [newEvent('Created')], 'no_stream');
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let appendedFirst!: () => void;
      const firstAppended = new Promise<void>((resolve) => (appendedFirst = resolve));
      const first = db.transaction().execute(async (trx) => {
        await PostgresEventStore.open(trx).append('thing-2', [newEvent('First')], 0);
        appendedFirst();
        await released;
      });
      await firstAppended;
      // The second transaction's append waits for the first, which then commits: it has lost the race.
      const second = db.transaction().execute(async (trx) => {
        const bound = PostgresEventStore.open(trx);
        const outcome = await bound.append('thing-2', [newEvent('Second')], 0).then(
          () => 'appended',
          (error: unknown) => (error instanceof ConcurrencyError ? error.actual : error),
        );
        await bound.append('thing-2', [newEvent('AfterTheRace')], 1);
        return outcome;
      });
      setTimeout(release, 200);
      await first;
      expect(await second).toBe(1);
      expect((await store.readStream('thing-2')).map((e) => e.type)).toEqual([
        'Created',
        'First',
        'AfterTheRace',
      ]);
    } finally {
      await connection.close();
    }
  });
});

if (serverUrl) {
  describe('PostgresEventStore when the server cannot be reached', () => {
    it('answers StoreUnavailableError on every call, and serves again once the network is back', async () => {
      const url = new URL(serverUrl);
      const proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
      url.host = `127.0.0.1:${proxy.port}`;
      const schema = `es_unavailable_${randomBytes(6).toString('hex')}`;
      const connection = await openDatabase(
        { kind: 'server', url: url.toString(), schema, poolSize: 4 },
        { connectMs: 1_000, queryMs: 2_000 },
      );
      const db = connection.db as Kysely<unknown>;
      const created = () => [{ id: randomUUID(), type: 'Created', data: {}, metadata }];
      try {
        const store = await PostgresEventStore.create(db, { directQuery: connection.query });
        await store.append('thing-1', created(), 'no_stream');
        proxy.cut();
        const refusals = await Promise.all([
          store.append('thing-2', created(), 'no_stream').catch((error: unknown) => error),
          store.readStream('thing-1').catch((error: unknown) => error),
          store.readAll().catch((error: unknown) => error),
          store.headPosition().catch((error: unknown) => error),
        ]);
        for (const refusal of refusals) expect(refusal).toBeInstanceOf(StoreUnavailableError);
        proxy.restore();
        await store.append('thing-2', created(), 'no_stream');
        expect(await store.readAll()).toHaveLength(2);
      } finally {
        await sql`drop schema ${sql.id(schema)} cascade`.execute(db).catch(() => undefined);
        await connection.close();
        await proxy.close();
      }
    });
  });
}

if (serverUrl) {
  type BesideAnotherDatabase = Readonly<{
    db: Kysely<unknown>;
    store: PostgresEventStore;
    /** A session of the server's `postgres` database, holding a transaction id: as an idle session or a test run. */
    elsewhere: Client;
    /** Appends one event to a new stream and waits until readers reach it. */
    appendReadable: (stream: string) => Promise<AppendResult>;
  }>;

  /** A store in a schema of its own beside a transaction open in another database, for `test`. */
  const besideAnotherDatabase = async (test: (fixture: BesideAnotherDatabase) => Promise<void>) => {
    const schema = `es_other_db_${randomBytes(6).toString('hex')}`;
    const connection = await openDatabase({ kind: 'server', url: serverUrl, schema, poolSize: 4 });
    const db = connection.db as Kysely<unknown>;
    const elsewhereUrl = new URL(serverUrl);
    elsewhereUrl.pathname = '/postgres';
    const elsewhere = new Client({ connectionString: elsewhereUrl.toString() });
    await elsewhere.connect();
    try {
      const store = await PostgresEventStore.create(db, { directQuery: connection.query });
      await elsewhere.query('begin');
      await elsewhere.query('select pg_current_xact_id()');
      const appendReadable = async (stream: string) => {
        const appended = await store.append(
          stream,
          [{ id: randomUUID(), type: 'Created', data: {}, metadata }],
          'no_stream',
        );
        // Other specs' transactions in this database may hold the reader a moment; the other database's never lets go.
        await headReaching(store, appended.position, { pollMs: 20, timeoutMs: 10_000 });
        return appended;
      };
      await test({ db, store, elsewhere, appendReadable });
    } finally {
      await elsewhere.query('rollback').catch(() => undefined);
      await elsewhere.end();
      await sql`drop schema ${sql.id(schema)} cascade`.execute(db).catch(() => undefined);
      await connection.close();
    }
  };

  describe('PostgresEventStore beside other databases of the server', () => {
    it('reads past a transaction left open in another database, never past one open in its own', () =>
      besideAnotherDatabase(async ({ db, store, appendReadable }) => {
        const past = await appendReadable('thing-1');
        expect(await store.headPosition()).toBe(past.position);
        expect((await store.readAll()).map((event) => event.position)).toEqual([past.position]);

        // One of this database, started before the next append, still holds the reader behind it.
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        let holding!: () => void;
        const held = new Promise<void>((resolve) => (holding = resolve));
        const open = db.transaction().execute(async (trx) => {
          await sql`select pg_current_xact_id()`.execute(trx);
          holding();
          await released;
        });
        await held;
        const behind = await store.append(
          'thing-2',
          [{ id: randomUUID(), type: 'Created', data: {}, metadata }],
          'no_stream',
        );
        expect(await store.headPosition()).toBe(past.position);
        release();
        await open;
        expect(await store.headPosition()).toBe(behind.position);
      }));

    it('reads up to a head it answered after a transaction of another database ended mid-read', () =>
      besideAnotherDatabase(async ({ db, elsewhere, appendReadable }) => {
        const appended = await appendReadable('thing-1');
        // A read takes its snapshot, then looks at the other databases' backends: when one of their transactions
        // ends in between, it is in flight for the snapshot but nobody's any more, so the read must count it. A
        // repeatable-read transaction holds that moment open: its snapshot stays, the backends are looked at anew.
        await db
          .transaction()
          .setIsolationLevel('repeatable read')
          .execute(async (trx) => {
            await sql`select 1`.execute(trx);
            const reader = PostgresEventStore.open(trx);
            expect(await reader.headPosition()).toBe(appended.position);
            await elsewhere.query('commit');
            await sql`select pg_stat_clear_snapshot()`.execute(trx);
            expect((await reader.readAll()).map((event) => event.position)).toEqual([appended.position]);
            expect(await reader.headPosition()).toBe(appended.position);
          });
      }));
  });
}

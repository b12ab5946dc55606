import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '@app/read-store';
import { advisoryLockLease, PROJECTION_LOCK_CLASS, soleLease } from './projection-lease';

const serverUrl = process.env.DATABASE_URL;

/** The backends holding the lease's lock on `projection` in the connection's schema (its key, as the lease computes it). */
const holdersOf = async (db: Kysely<unknown>, projection: string): Promise<number[]> => {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_locks
    where locktype = 'advisory' and granted and classid = ${PROJECTION_LOCK_CLASS} and objsubid = 2
      and objid = hashtext(current_schema() || '.' || ${projection})::oid
      and database = (select oid from pg_database where datname = current_database())`.execute(db);
  return rows.map((row) => row.pid);
};

describe('the lease of an embedded database', () => {
  it('gives every projection to the one process that can open it', async () => {
    const lease = soleLease();
    expect(await lease.tryAcquire('services')).toBe(true);
    expect(await lease.tryAcquire('services')).toBe(true);
    await lease.close();
  });
});

if (serverUrl) {
  describe('the advisory-lock lease on a Postgres server', () => {
    it('gives each projection to one worker, and hands it over when the holder goes', async () => {
      const open = () => openDatabase({ kind: 'server', url: serverUrl, schema: 'public', poolSize: 2 });
      const [first, second] = await Promise.all([open(), open()]);
      const leases = [
        advisoryLockLease(first.db as Kysely<unknown>),
        advisoryLockLease(second.db as Kysely<unknown>),
      ];
      const name = `lease-test-${Date.now()}`;
      try {
        expect(await leases[0]!.tryAcquire(name)).toBe(true);
        expect(await leases[0]!.tryAcquire(name)).toBe(true); // re-entrant for its holder
        expect(await leases[1]!.tryAcquire(name)).toBe(false);
        expect(await leases[1]!.tryAcquire(`${name}-other`)).toBe(true);
        // The holder's process dies: its connection goes, and the lock with it.
        await leases[0]!.close();
        await first.close();
        expect(await leases[1]!.tryAcquire(name)).toBe(true);
        const [held, heldOther] = await Promise.all(
          [name, `${name}-other`].map((lock) => holdersOf(second.db as Kysely<unknown>, lock)),
        );
        expect(held).toHaveLength(1);
        expect(heldOther).toEqual(held);
      } finally {
        await leases[1]!.close();
        await second.close();
      }
    });

    it('leaves the workers of another schema on the same database their own projections', async () => {
      const schemas = [1, 2].map((n) => `lease_${n}_${randomBytes(4).toString('hex')}`);
      const [first, second] = await Promise.all(
        schemas.map((schema) => openDatabase({ kind: 'server', url: serverUrl, schema, poolSize: 2 })),
      );
      const [mine, theirs, mineAgain] = [first!, second!, first!].map((connection) =>
        advisoryLockLease(connection.db as Kysely<unknown>),
      );
      const name = `services@1-${Date.now()}`;
      try {
        expect(await mine!.tryAcquire(name)).toBe(true);
        // The same projection of another deployment (a test, a benchmark) on the same database.
        expect(await theirs!.tryAcquire(name)).toBe(true);
        // A second worker of the first schema still waits for the first.
        expect(await mineAgain!.tryAcquire(name)).toBe(false);
      } finally {
        for (const lease of [mine!, theirs!, mineAgain!]) await lease.close();
        for (const [index, connection] of [first!, second!].entries()) {
          await sql`drop schema if exists ${sql.id(schemas[index]!)} cascade`.execute(connection.db);
          await connection.close();
        }
      }
    });

    it('lets a lock go on release or close however often its holder took it, while the pool stays open', async () => {
      const db = await openDatabase({ kind: 'server', url: serverUrl, schema: 'public', poolSize: 3 });
      // Asking the database every time, as a runner does once the recheck interval has passed.
      const [holder, other] = [
        advisoryLockLease(db.db as Kysely<unknown>, { recheckMs: 0 }),
        advisoryLockLease(db.db as Kysely<unknown>, { recheckMs: 0 }),
      ];
      const name = `lease-count-${Date.now()}`;
      try {
        // A runner's loop asks for its lease before every step.
        for (let step = 0; step < 5; step++) expect(await holder.tryAcquire(name)).toBe(true);
        expect(await other.tryAcquire(name)).toBe(false);
        await holder.release(name);
        expect(await other.tryAcquire(name)).toBe(true);
        for (let step = 0; step < 5; step++) expect(await other.tryAcquire(name)).toBe(true);
        // A runner that stops closes its lease; the process and its pool live on (the API, a CLI command).
        await other.close();
        expect(await holder.tryAcquire(name)).toBe(true);
      } finally {
        await holder.close();
        await other.close();
        await db.close();
      }
    });

    it('asks the database about a lock it holds at most once per recheck interval', async () => {
      const db = await openDatabase({ kind: 'server', url: serverUrl, schema: 'public', poolSize: 2 });
      let queries = 0;
      const counted = (db.db as Kysely<unknown>).withPlugin({
        transformQuery: (args) => {
          queries++;
          return args.node;
        },
        transformResult: (args) => Promise.resolve(args.result),
      });
      const lease = advisoryLockLease(counted, { recheckMs: 150 });
      const name = `lease-recheck-${Date.now()}`;
      try {
        for (let step = 0; step < 50; step++) expect(await lease.tryAcquire(name)).toBe(true);
        expect(queries).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await lease.tryAcquire(name)).toBe(true);
        expect(queries).toBe(2);
        // A lock not held is asked for every time: another worker may have let it go.
        const other = advisoryLockLease(db.db as Kysely<unknown>, { recheckMs: 60_000 });
        let refusals = 0;
        for (let step = 0; step < 3; step++) if (!(await other.tryAcquire(name))) refusals++;
        expect(refusals).toBe(3);
        await lease.release(name);
        expect(await other.tryAcquire(name)).toBe(true);
        await other.close();
      } finally {
        await lease.close();
        await db.close();
      }
    });

    it('notices at the next check a lock lost with its connection, and takes it again on a new one', async () => {
      const open = () => openDatabase({ kind: 'server', url: serverUrl, schema: 'public', poolSize: 2 });
      const [first, second] = await Promise.all([open(), open()]);
      const holder = advisoryLockLease(first.db as Kysely<unknown>, { recheckMs: 100 });
      const rival = advisoryLockLease(second.db as Kysely<unknown>, { recheckMs: 100 });
      const name = `lease-lost-${Date.now()}`;
      try {
        expect(await holder.tryAcquire(name)).toBe(true);
        const holders = await holdersOf(second.db as Kysely<unknown>, name);
        expect(holders).toHaveLength(1);
        // Other suites hold locks of their own on this database: only this lock's holder goes, and the
        // call waits until its backend has exited (and so let the lock go) rather than only signalling it.
        const { rows } = await sql<{ gone: boolean }>`
          select pg_terminate_backend(${holders[0]!}, 10000) as gone`.execute(second.db);
        expect(rows[0]!.gone).toBe(true);
        expect(await rival.tryAcquire(name)).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 150));
        // The holder learns it lost the lock instead of going on trusting it.
        await expect(holder.tryAcquire(name)).resolves.toBe(false);
        await rival.release(name);
        // And on a fresh connection it takes the lock again once it is free.
        expect(await holder.tryAcquire(name)).toBe(true);
        expect(await rival.tryAcquire(name)).toBe(false);
      } finally {
        await holder.close();
        await rival.close();
        await Promise.all([first.close(), second.close()]);
      }
    });
  });
}

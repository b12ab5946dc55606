import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '@app/read-store';
import { advisoryLockLease, soleLease } from './projection-lease';

const serverUrl = process.env.DATABASE_URL;

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
        const { rows } = await sql<{
          n: number;
        }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and classid = 1703`.execute(
          second.db,
        );
        expect(rows[0]!.n).toBeGreaterThanOrEqual(2);
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
      const [holder, other] = [
        advisoryLockLease(db.db as Kysely<unknown>),
        advisoryLockLease(db.db as Kysely<unknown>),
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
  });
}

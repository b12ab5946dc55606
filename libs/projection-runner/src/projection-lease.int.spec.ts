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
  });
}

import { sql, type Kysely } from 'kysely';
import { PostgresEventStore } from '@app/event-store';
import { PROJECTION_LOCK_CLASS, type CheckpointDatabase } from '@app/projection-runner';
import { READ_MODEL_PROJECTIONS } from '@app/projections';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { generateEventLog, openTestDatabase } from '@app/testing';
import {
  buildProduct,
  currentSchema,
  expectSameAsCleanRebuild,
  settledHead,
  startWorkerProcess,
  waitUntilCaughtUp,
  type BuiltProduct,
  type WorkerProcess,
} from './testing/worker-process';

/** How many projection locks each worker (by its connections' application name) holds on this database. */
const locksHeld = async (db: Kysely<unknown>): Promise<Record<string, number>> => {
  const { rows } = await sql<{ holder: string; locks: number }>`
    select a.application_name as holder, count(*)::int as locks
    from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.classid = ${PROJECTION_LOCK_CLASS} and l.granted
      and a.datname = current_database() and a.application_name like ${'failover-%'}
    group by a.application_name`.execute(db);
  return Object.fromEntries(rows.map((row) => [row.holder, row.locks]));
};

/**
 * Two worker processes on one database share the projections through advisory locks: together they build what
 * one would (no row twice), and when the one holding locks dies, the other takes its projections over.
 * Runs on the Postgres server only (DATABASE_URL).
 */
describe('two worker processes on one database', () => {
  let product: BuiltProduct;
  const databases: DatabaseConnection[] = [];
  const workers: WorkerProcess[] = [];
  beforeAll(() => {
    product = buildProduct();
  });
  afterAll(async () => {
    for (const worker of workers) await worker.kill('SIGKILL');
    product.remove();
    for (const database of databases) await database.close();
  });

  it(
    'build what one worker builds, and the survivor takes over a killed one',
    async () => {
      const databaseUrl = process.env.DATABASE_URL!;
      const shared = await openTestDatabase();
      databases.push(shared);
      await migrateToLatest(shared.db);
      const store = PostgresEventStore.open(shared.db, { directQuery: shared.query });
      await generateEventLog(store, { seed: 31, events: 6_000 });
      const checkpoints = shared.db as Kysely<CheckpointDatabase>;
      const schema = await currentSchema(shared.db);

      const [first, second] = ['failover-a', 'failover-b'].map((name) =>
        startWorkerProcess(product.workerEntry, { databaseUrl, schema, name }),
      ) as [WorkerProcess, WorkerProcess];
      workers.push(first, second);
      await Promise.all([first.started, second.started]);
      expect(await waitUntilCaughtUp(checkpoints, await settledHead(store), 5 * 60_000)).toBe(true);

      // Every projection is held, each by one worker.
      const held = await locksHeld(shared.db);
      expect(Object.values(held).reduce((sum, locks) => sum + locks, 0)).toBe(READ_MODEL_PROJECTIONS.length);

      // The holder of the most locks dies without warning; the other one takes its projections over.
      const holder = (held['failover-a'] ?? 0) >= (held['failover-b'] ?? 0) ? first : second;
      const survivor = holder === first ? 'failover-b' : 'failover-a';
      await holder.kill('SIGKILL');
      await generateEventLog(store, { seed: 32, events: 1_000 });
      const newHead = await settledHead(store);
      const killedAt = Date.now();
      expect(await waitUntilCaughtUp(checkpoints, newHead, 60_000)).toBe(true);
      const takeoverSeconds = (Date.now() - killedAt) / 1000;
      expect(await locksHeld(shared.db)).toEqual({ [survivor]: READ_MODEL_PROJECTIONS.length });
      process.stderr.write(`The surviving worker caught up ${takeoverSeconds.toFixed(1)} s after the kill\n`);

      const fresh = await openTestDatabase();
      databases.push(fresh);
      await expectSameAsCleanRebuild(store, shared.db, fresh, newHead);
    },
    15 * 60_000,
  );
});

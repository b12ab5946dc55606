import type { Kysely } from 'kysely';
import { PostgresEventStore } from '@app/event-store';
import type { CheckpointDatabase } from '@app/projection-runner';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { generateEventLog, openTestDatabase } from '@app/testing';
import {
  buildProduct,
  caughtUp,
  currentSchema,
  expectSameAsCleanRebuild,
  settledHead,
  startWorkerProcess,
  waitUntilCaughtUp,
  type BuiltProduct,
} from './testing/worker-process';

const KILLS = 20;

/**
 * A worker killed without warning (SIGKILL: no shutdown hook, transactions cut wherever they are) again and
 * again while it catches up a long log loses and repeats nothing: once it finished, every read model is, row for
 * row, what a clean rebuild makes of the same log. Runs on the Postgres server only (DATABASE_URL).
 */
describe('a worker killed again and again during the catch-up', () => {
  let product: BuiltProduct;
  const databases: DatabaseConnection[] = [];
  beforeAll(() => {
    product = buildProduct();
  });
  afterAll(async () => {
    product.remove();
    for (const database of databases) await database.close();
  });

  it(
    'leaves every read model equal to a clean rebuild',
    async () => {
      const databaseUrl = process.env.DATABASE_URL!;
      const worked = await openTestDatabase();
      databases.push(worked);
      await migrateToLatest(worked.db);
      const store = PostgresEventStore.open(worked.db, { directQuery: worked.query });
      const { events } = await generateEventLog(store, {
        seed: 20261201,
        events: 50_000,
        batchEvents: 25_000,
      });
      expect(events).toBeGreaterThanOrEqual(50_000);
      const head = await settledHead(store);
      const checkpoints = worked.db as Kysely<CheckpointDatabase>;
      const schema = await currentSchema(worked.db);

      let killedMidway = 0;
      for (let n = 0; killedMidway < KILLS; n++) {
        const worker = startWorkerProcess(product.workerEntry, { databaseUrl, schema, name: `crash-${n}` });
        await worker.started;
        await new Promise((done) => setTimeout(done, Math.random() * 1_500));
        const finished = await caughtUp(checkpoints, head);
        await worker.kill('SIGKILL');
        if (finished) break;
        killedMidway++;
      }
      expect(killedMidway).toBe(KILLS);

      const last = startWorkerProcess(product.workerEntry, { databaseUrl, schema, name: 'crash-last' });
      try {
        expect(await waitUntilCaughtUp(checkpoints, head, 10 * 60_000)).toBe(true);
      } finally {
        await last.kill('SIGTERM');
      }

      const fresh = await openTestDatabase();
      databases.push(fresh);
      await expectSameAsCleanRebuild(store, worked.db, fresh, head);
    },
    20 * 60_000,
  );
});

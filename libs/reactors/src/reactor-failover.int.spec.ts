import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { AggregateCache } from '@app/command-handling';
import { PostgresEventStore } from '@app/event-store';
import { advisoryLockLease, type CheckpointDatabase } from '@app/projection-runner';
import { migrateToLatest, openDatabase, type DatabaseConnection } from '@app/read-store';
import { firstInvoiceReactor } from './billing.reactors';
import { ReactorRunner } from './reactor-runner';
import { orderService } from './testing/order-service';

const serverUrl = process.env.DATABASE_URL;

/**
 * Two workers on one Postgres server: leases are advisory locks, which only a server shares between processes
 * (jest collects this file only with DATABASE_URL).
 */
if (serverUrl) {
  describe('reactors in two workers at once', () => {
    const schema = `reactor_failover_${randomBytes(4).toString('hex')}`;
    const connections: DatabaseConnection[] = [];
    const open = async () => {
      const connection = await openDatabase({ kind: 'server', url: serverUrl, schema, poolSize: 3 });
      connections.push(connection);
      return connection;
    };

    afterAll(async () => {
      for (const connection of connections) await connection.close().catch(() => undefined);
      const cleanup = await openDatabase({ kind: 'server', url: serverUrl, schema: 'public', poolSize: 1 });
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(cleanup.db);
      await cleanup.close();
    });

    it('gives each reactor to one of them, and to the other within seconds once its holder stops', async () => {
      const first = await open();
      await migrateToLatest(first.db);
      const second = await open();
      const dispatchedBy: string[] = [];
      const worker = (connection: DatabaseConnection, label: string) => {
        const store = PostgresEventStore.open(connection.db, { directQuery: connection.query });
        const runner = new ReactorRunner({
          db: connection.db as Kysely<CheckpointDatabase>,
          store,
          writePath: { eventStore: store, cache: new AggregateCache() },
          reactors: [firstInvoiceReactor],
          lease: advisoryLockLease(connection.db),
          leaseRetryMs: 200,
          afterDispatch: () => {
            dispatchedBy.push(label);
          },
        });
        return { store, runner };
      };
      const workers = [worker(first, 'first'), worker(second, 'second')];
      for (const { runner } of workers) runner.start();
      const customerWritePath = { eventStore: workers[0]!.store, cache: new AggregateCache() };
      const order = async (ids: readonly string[]) => {
        for (const id of ids) await orderService(customerWritePath, id, 'monthly');
      };
      const invoicesOf = async (ids: readonly string[]) =>
        Promise.all(ids.map((id) => workers[1]!.store.readStream(`invoice-inv-${id}-2024-02-29`)));
      const issuedFor = async (ids: readonly string[], timeoutMs: number) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const streams = await invoicesOf(ids);
          if (streams.every((events) => events.length > 0) || Date.now() > deadline) return streams;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };

      const before = Array.from({ length: 6 }, (_, n) => `svc-a${n}`);
      await order(before);
      expect((await issuedFor(before, 10_000)).map((events) => events.length)).toEqual(before.map(() => 1));
      const holder = dispatchedBy[0]!;
      expect(new Set(dispatchedBy)).toEqual(new Set([holder]));

      const holderIndex = holder === 'first' ? 0 : 1;
      await workers[holderIndex]!.runner.stop();
      const dispatchedBefore = dispatchedBy.length;
      const after = Array.from({ length: 6 }, (_, n) => `svc-b${n}`);
      await order(after);
      expect((await issuedFor(after, 10_000)).map((events) => events.length)).toEqual(after.map(() => 1));
      expect(new Set(dispatchedBy.slice(dispatchedBefore))).toEqual(
        new Set([holder === 'first' ? 'second' : 'first']),
      );
      // Nothing was issued twice by the hand-over: one invoice per order, each once.
      expect((await invoicesOf(before)).map((events) => events.length)).toEqual(before.map(() => 1));
      await workers[1 - holderIndex]!.runner.stop();
    }, 60_000);
  });
}

/*
 * A worker process that runs the first-invoice reactor once over the log. With CRASH_AFTER_DISPATCH=1 it kills
 * itself (SIGKILL: no cleanup, no shutdown hook) once the page's commands are dispatched and before the
 * checkpoint moves — the moment a crash makes a reactor dispatch again.
 */
import type { Kysely } from 'kysely';
import { AggregateCache } from '@app/command-handling';
import { PostgresEventStore } from '@app/event-store';
import type { CheckpointDatabase } from '@app/projection-runner';
import { openDatabase } from '@app/read-store';
import { firstInvoiceReactor } from '../billing.reactors';
import { ReactorRunner } from '../reactor-runner';

const main = async (): Promise<void> => {
  const url = process.env.CRASH_DATABASE_URL;
  const connection = await openDatabase(
    url
      ? { kind: 'server', url, schema: process.env.CRASH_DATABASE_SCHEMA ?? 'public', poolSize: 2 }
      : { kind: 'embedded', dataDir: process.env.CRASH_DATA_DIR ?? '' },
  );
  const store = PostgresEventStore.open(connection.db, { directQuery: connection.query });
  const runner = new ReactorRunner({
    db: connection.db as Kysely<CheckpointDatabase>,
    store,
    writePath: { eventStore: store, cache: new AggregateCache() },
    reactors: [firstInvoiceReactor],
    batchSize: 1000,
    afterDispatch: () => {
      if (process.env.CRASH_AFTER_DISPATCH === '1') process.kill(process.pid, 'SIGKILL');
    },
  });
  // On a shared server the log shows an event once every older transaction has ended: wait for the last order.
  const last = process.env.CRASH_WAIT_FOR ?? '';
  for (
    let head = await store.headPosition();
    head === undefined || head < last;
    head = await store.headPosition()
  ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await runner.drain();
  await connection.close();
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

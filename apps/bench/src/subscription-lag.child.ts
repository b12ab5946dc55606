import type { Kysely } from 'kysely';
import { PostgresEventStore } from '@app/event-store';
import { openDatabase } from '@app/read-store';

/**
 * The second process of subscription.lag.p99: subscribes to the bench's schema from its head, through a
 * connection of its own, and reports to its parent how long after its sending each event arrived.
 * argv: database URL, schema, stream category.
 */
const main = async (): Promise<void> => {
  const [url = '', schema = '', category = ''] = process.argv.slice(2);
  const connection = await openDatabase({ kind: 'server', url, schema, poolSize: 2 });
  const store = PostgresEventStore.open(connection.db as Kysely<unknown>, {
    directQuery: connection.query,
    listen: connection.listen!,
  });
  const head = await store.headPosition();
  const subscription = store.subscribe({
    ...(head ? { after: head } : {}),
    filter: { streamCategories: [category] },
  });
  process.on('message', (message) => {
    if (message !== 'stop') return;
    // Closing the IPC channel last lets the process end.
    void subscription
      .close()
      .then(() => store.close())
      .then(() => connection.close())
      .finally(() => process.disconnect());
  });
  // Ready once live: the parent's warm-up append has come through, so the measured ones find the LISTEN in effect.
  for await (const event of subscription) {
    if (event.type === 'WarmUp') {
      process.send?.('ready');
      continue;
    }
    const { sentAt } = event.data as { sentAt: number };
    process.send?.(performance.timeOrigin + performance.now() - sentAt);
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

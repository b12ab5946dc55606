import type { Kysely } from 'kysely';
import { AggregateCache, handleCommand, SNAPSHOT_POLICIES, Snapshotting } from '@app/command-handling';
import { allocateNotaFiscalNumber } from '@app/billing-clock';
import { invoiceDecider, invoiceStream, type Actor } from '@app/domain';
import { PostgresEventStore, PostgresSnapshotStore } from '@app/event-store';
import { openDatabase } from '@app/read-store';

const CLOCK: Actor = { kind: 'system', rule: 'issue-notas-fiscais' };

/**
 * The fresh process of nota.issue: connects (not timed), then issues one paid invoice's nota fiscal the way the
 * billing clock does — the series allocates its number, the invoice records the nota — and tells its parent how
 * many ms that took, from a cold write path (no cache: the series loads from its snapshot).
 * argv: database URL, schema, invoice id.
 */
const main = async (): Promise<void> => {
  const [url = '', schema = '', invoiceId = ''] = process.argv.slice(2);
  const connection = await openDatabase({ kind: 'server', url, schema, poolSize: 2 });
  const db = connection.db as Kysely<unknown>;
  const eventStore = PostgresEventStore.open(db, { directQuery: connection.query });
  const writePath = {
    eventStore,
    cache: new AggregateCache(),
    snapshots: new Snapshotting(new PostgresSnapshotStore(db), SNAPSHOT_POLICIES),
  };
  // One round trip first, so the timing is of the nota and not of the pool's first connection.
  await eventStore.headPosition();
  const now = new Date().toISOString();
  const started = performance.now();
  const number = await allocateNotaFiscalNumber(writePath, invoiceId, now);
  if (number === null) throw new Error(`no number for ${invoiceId}`);
  await handleCommand(writePath, invoiceDecider, invoiceStream(invoiceId), {
    command: { type: 'IssueNotaFiscal', data: { number }, metadata: { now, actor: CLOCK } },
    commandId: `issue-notas-fiscais:${invoiceId}`,
  });
  process.send?.({ ms: performance.now() - started, number });
  await writePath.snapshots.settled();
  await eventStore.close();
  await connection.close();
  process.disconnect();
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { generateEventLog } from './event-log-generator';
import { openTestDatabase } from './test-database';

const wholeLog = async (store: PostgresEventStore): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for (;;) {
    const after = events.at(-1)?.position;
    const page = await store.readAll({ maxCount: 5_000, ...(after === undefined ? {} : { after }) });
    events.push(...page);
    if (page.length < 5_000) return events;
  }
};

/**
 * The whole log once it holds `count` events (or after 30 s): on a shared server, another database's open
 * transaction can hold the log's visibility horizon back for a moment after the last append returned.
 */
const wholeLogOf = async (store: PostgresEventStore, count: number): Promise<RecordedEvent[]> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const events = await wholeLog(store);
    if (events.length >= count || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Each stream's events as a seed makes them: ids, types, data, metadata and order within the stream. */
const byStream = (events: readonly RecordedEvent[]) => {
  const streams = new Map<string, unknown[]>();
  for (const { streamName, revision, id, type, data, metadata } of events) {
    streams.set(streamName, [...(streams.get(streamName) ?? []), { revision, id, type, data, metadata }]);
  }
  return [...streams.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
};

describe('the event log generator', () => {
  const databases: DatabaseConnection[] = [];
  const openStore = async () => {
    const database = await openTestDatabase();
    databases.push(database);
    await migrateToLatest(database.db);
    return PostgresEventStore.open(database.db, { directQuery: database.query });
  };
  afterAll(async () => {
    for (const database of databases) await database.close();
  });

  it('writes every kind of event through the store, the same events for the same seed', async () => {
    const [first, second] = [await openStore(), await openStore()];
    const written = await generateEventLog(first, { seed: 7, events: 4_000, batchEvents: 1_000 });
    await generateEventLog(second, { seed: 7, events: 4_000, batchEvents: 1_000 });
    const log = await wholeLogOf(first, written.events);

    expect(written.events).toBeGreaterThanOrEqual(4_000);
    expect(log).toHaveLength(written.events);
    expect(byStream(await wholeLogOf(second, written.events))).toEqual(byStream(log));
    const types = new Set(log.map((event) => event.type));
    for (const type of [
      'ContractOpened',
      'InvitationAccepted',
      'ContactAdded',
      'ServiceOrdered',
      'ServiceActivated',
      'ServiceSuspended',
      'InvoiceIssued',
      'InvoicePaid',
      'InvoiceMarkedOverdue',
      'NotaFiscalIssued',
      'TicketOpened',
      'TicketClosed',
      'CallbackRequested',
      'IncidentOpened',
    ])
      expect(types).toContain(type);
    const kinds = new Set(
      log
        .filter((event) => event.type === 'ServiceOrdered')
        .map((event) => (event.data as { kind: string }).kind),
    );
    expect([...kinds].sort()).toEqual([
      'addon',
      'cloud_server',
      'dedicated_server',
      'domain',
      'reseller_hosting',
      'shared_hosting',
    ]);
  });
});

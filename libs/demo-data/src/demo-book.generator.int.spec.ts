import { AggregateCache, type WritePath } from '@app/command-handling';
import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { generateDemoBook, type DemoBookOptions, type DemoBookReport } from './demo-book.generator';
import { EMBEDDED_DEMO_BOOK } from './demo-seed';

// Five months from a month end, across a leap day (2028-02-29).
const OPTIONS: DemoBookOptions = { contracts: 20, months: 5, seed: 7, startDate: '2027-11-30' };

type Generated = Readonly<{
  report: DemoBookReport;
  events: readonly RecordedEvent[];
  refusals: readonly string[];
}>;

/** Generates a book on a fresh database and reads back the whole log. */
const generate = async (options: DemoBookOptions): Promise<Generated> => {
  const connection: DatabaseConnection = await openTestDatabase();
  try {
    await migrateToLatest(connection.db);
    const eventStore = PostgresEventStore.open(connection.db, { directQuery: connection.query });
    const writePath: WritePath = { eventStore, cache: new AggregateCache() };
    try {
      const refusals: string[] = [];
      const report = await generateDemoBook(writePath, {
        ...options,
        onRefusal: (type, error) => refusals.push(`${type}: ${error.code} ${error.message}`),
      });
      const events: RecordedEvent[] = [];
      for (;;) {
        const last = events.at(-1);
        const page = await eventStore.readAll({ maxCount: 5_000, ...(last ? { after: last.position } : {}) });
        if (page.length === 0) break;
        events.push(...page);
      }
      return { report, events, refusals };
    } finally {
      await eventStore.close();
    }
  } finally {
    await connection.close();
  }
};

const comparable = (event: RecordedEvent) => ({
  stream: event.streamName,
  revision: event.revision,
  type: event.type,
  data: event.data,
  actor: event.metadata.actor,
  occurredAt: event.metadata.occurredAt,
  id: event.id,
});

describe('the demo book generator', () => {
  let first: Generated;

  beforeAll(async () => {
    first = await generate(OPTIONS);
  }, 240_000);

  it('writes the same events for the same seed, and other events for another seed', async () => {
    const again = await generate(OPTIONS);
    expect(again.events.map(comparable)).toEqual(first.events.map(comparable));
    const other = await generate({ ...OPTIONS, seed: 8, contracts: 4, months: 2 });
    expect(other.events.slice(0, 30).map(comparable)).not.toEqual(first.events.slice(0, 30).map(comparable));
  }, 240_000);

  it('sends only commands the deciders accept, through the write path, in time order per stream', () => {
    expect(first.refusals).toEqual([]);
    expect(first.report.refused).toBe(0);
    expect(first.report.commands).toBeGreaterThan(first.events.length / 3);
    const byStream = new Map<string, string[]>();
    for (const event of first.events) {
      const times = byStream.get(event.streamName) ?? [];
      times.push(event.metadata.occurredAt);
      byStream.set(event.streamName, times);
    }
    for (const times of byStream.values()) expect([...times].sort()).toEqual(times);
    // Every event came from a command handled by the write path: it names its command.
    expect(first.events.every((event) => typeof event.metadata.commandName === 'string')).toBe(true);
  });

  it('has plausible proportions of contracts, people, services, cycles and payments', () => {
    const { report } = first;
    expect(report.contracts).toBe(OPTIONS.contracts);
    expect(report.users / report.contracts).toBeGreaterThan(1.5);
    expect(report.contacts).toBeGreaterThanOrEqual(report.contracts);
    const services = Object.values(report.services).reduce((sum, n) => sum + n, 0);
    expect(services / report.contracts).toBeGreaterThanOrEqual(1.4);
    // Shared hosting is the most common kind; dedicated servers are rare.
    expect(report.services.shared_hosting).toBeGreaterThan(report.services.dedicated_server);
    expect(report.services.shared_hosting / services).toBeGreaterThan(0.2);
    expect(report.cycles.monthly).toBeGreaterThan(report.cycles.semiannual);
    const paid = report.paidOnTime + report.paidLate;
    expect(report.paidOnTime / paid).toBeGreaterThan(0.55);
    expect(report.paidLate).toBeGreaterThan(0);
    expect(report.unpaid).toBeGreaterThan(0);
    expect(report.suspensions).toBeGreaterThan(0);
    expect(report.reactivations).toBeGreaterThan(0);
    expect(report.cancellations).toBeGreaterThan(0);
    expect(report.tickets).toBeGreaterThan(report.contracts);
    expect(report.callbacks).toBeGreaterThan(0);
    expect(report.incidents).toBeGreaterThan(0);
  });

  it('lets the system rules act as the system: invoices, overdue marks and suspensions', () => {
    const actorOf = (type: string) =>
      new Set(
        first.events
          .filter((event) => event.type === type)
          .map((event) => JSON.stringify(event.metadata.actor)),
      );
    expect(actorOf('InvoiceIssued')).toEqual(
      new Set([JSON.stringify({ kind: 'system', rule: 'issue-invoices' })]),
    );
    expect(actorOf('InvoiceMarkedOverdue')).toEqual(
      new Set([JSON.stringify({ kind: 'system', rule: 'mark-overdue' })]),
    );
    const suspendedForNonPayment = first.events.filter(
      (event) =>
        event.type === 'ServiceSuspended' && (event.data as { reason: string }).reason === 'non_payment',
    );
    expect(suspendedForNonPayment.length).toBeGreaterThan(0);
    expect(
      suspendedForNonPayment.every(
        (event) =>
          JSON.stringify(event.metadata.actor) === JSON.stringify({ kind: 'system', rule: 'suspend-unpaid' }),
      ),
    ).toBe(true);
  });

  it('gives the embedded start a small book with something in every analytics figure', async () => {
    const { report, refusals } = await generate({ ...EMBEDDED_DEMO_BOOK, startDate: '2028-09-01' });
    expect(refusals).toEqual([]);
    expect(report).toMatchObject({ contracts: EMBEDDED_DEMO_BOOK.contracts });
    expect(report.suspensions + report.administrativeSuspensions).toBeGreaterThan(0);
    expect(report.paidLate + report.unpaid).toBeGreaterThan(0);
    expect(report.tickets).toBeGreaterThan(0);
  }, 120_000);
});

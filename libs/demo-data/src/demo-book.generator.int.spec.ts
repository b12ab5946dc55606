import type { Kysely } from 'kysely';
import { BILLING_CLOCK_RULES } from '@app/billing-clock';
import { AggregateCache, type WritePath } from '@app/command-handling';
import { notaFiscalAllocation } from '@app/domain';
import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import { REACTOR_RULES } from '@app/reactors';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import {
  generateDemoBook,
  type DemoBookDatabase,
  type DemoBookOptions,
  type DemoBookReport,
} from './demo-book.generator';
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
      const report = await generateDemoBook(writePath, connection.db as Kysely<DemoBookDatabase>, {
        ...options,
        onRefusal: (type, error) => refusals.push(`${type}: ${error.code} ${error.message}`),
        onRuleRefusal: ({ rule, streamName, code }) => refusals.push(`${rule} on ${streamName}: ${code}`),
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
    expect(first.report.ruleRefusals).toBe(0);
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

  it("leaves the system's part to the real billing clock and reactors, named in its events' actors and ids", () => {
    const actor = (event: RecordedEvent) => JSON.stringify(event.metadata.actor);
    const system = (rule: string) => JSON.stringify({ kind: 'system', rule });
    // Each order's first invoice comes from the first-invoice reactor, the next ones from the clock.
    const issuedFor = new Map<string, string[]>();
    for (const event of first.events.filter(({ type }) => type === 'InvoiceIssued')) {
      const { serviceId } = (event.data as { lines: { serviceId: string }[] }).lines[0]!;
      issuedFor.set(serviceId, [...(issuedFor.get(serviceId) ?? []), actor(event)]);
    }
    const ordered = first.events.filter(({ type }) => type === 'ServiceOrdered');
    expect(issuedFor.size).toBe(ordered.length);
    const renewals = [...issuedFor.values()].flatMap(([firstInvoice, ...next]) => {
      expect(firstInvoice).toBe(system('issue-first-invoice'));
      return next;
    });
    expect(renewals.length).toBeGreaterThan(0);
    expect(new Set(renewals)).toEqual(new Set([system('issue-invoices')]));
    expect(first.report.invoices).toBe(ordered.length + renewals.length);

    const actorsOf = (type: string, where: (data: Record<string, unknown>) => boolean = () => true) => {
      const events = first.events.filter((event) => event.type === type && where(event.data as never));
      return { count: events.length, actors: new Set(events.map(actor)) };
    };
    expect(actorsOf('InvoiceMarkedOverdue').actors).toEqual(new Set([system('mark-overdue')]));
    const nonPayment = actorsOf('ServiceSuspended', (data) => data.reason === 'non_payment');
    expect(nonPayment).toEqual({
      count: first.report.suspensions,
      actors: new Set([system('suspend-unpaid')]),
    });
    expect(nonPayment.count).toBeGreaterThan(0);
    expect(actorsOf('ServiceInvoicePaid').actors).toEqual(new Set([system('confirm-payment')]));
    const reactivatedOnPayment = actorsOf('ServiceReactivated', (data) => data.by === 'payment');
    expect(reactivatedOnPayment.count).toBeGreaterThan(0);
    expect(reactivatedOnPayment.actors).toEqual(new Set([system('reactivate-on-payment')]));
    expect(actorsOf('ServiceTerminated').actors).toEqual(new Set([system('terminate-after-retention')]));
    expect(actorsOf('TicketClosed', (data) => data.reason === 'idle')).toMatchObject({
      actors: new Set([system('close-idle-tickets')]),
    });
    expect(actorsOf('TicketClosed', (data) => data.reason === 'idle').count).toBeGreaterThan(0);

    // The generator itself sends only what customers, staff and the payment gateway send: every other system
    // actor is a rule of the clock or a reactor, under the command id that rule gives (`<rule>:<subject>`).
    const rules = new Set<string>([...BILLING_CLOCK_RULES, ...Object.values(REACTOR_RULES)]);
    for (const event of first.events) {
      const { actor: by, commandId } = event.metadata;
      if (by.kind !== 'system') continue;
      if (by.rule === 'payment-gateway') {
        expect(event.type).toBe('InvoicePaid');
        continue;
      }
      expect({ rule: by.rule, known: rules.has(by.rule) }).toEqual({ rule: by.rule, known: true });
      // A nota's number goes under the id every sender of that allocation shares (notaFiscalAllocation).
      const expectedId =
        event.type === 'NotaFiscalNumberAllocated'
          ? notaFiscalAllocation((event.data as { invoiceId: string }).invoiceId).commandId
          : `${by.rule}:`;
      expect(commandId?.startsWith(expectedId)).toBe(true);
    }
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

import type { Kysely } from 'kysely';
import { AggregateCache } from '@app/command-handling';
import { generateDemoBook, type DemoBookDatabase } from '@app/demo-data';
import { daysBetween, localDate } from '@app/domain';
import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { serviceStatusTimelineProjection } from './service-status-timeline.projection';
import { invoiceAgingQuery, statusDurationsQuery, suspensionsQuery } from './service-status-timeline.queries';
import type { ServiceStatusTimelineDatabase } from './service-status-timeline.table';

type Data = Record<string, string | null>;

const STATUS_OF: Readonly<Record<string, string>> = {
  ServiceOrdered: 'pending',
  ServiceActivated: 'active',
  ServiceSuspended: 'suspended',
  ServiceReactivated: 'active',
  ServiceCancelled: 'cancelled',
  ServiceTerminated: 'terminated',
};
const TIME_OF: Readonly<Record<string, string>> = {
  ServiceOrdered: 'orderedAt',
  ServiceActivated: 'activatedAt',
  ServiceSuspended: 'suspendedAt',
  ServiceReactivated: 'reactivatedAt',
  ServiceCancelled: 'cancelledAt',
  ServiceTerminated: 'terminatedAt',
};

/** Each service's status changes, read straight from the raw log: (status, from) in stream order. */
const statusChangesOf = (events: readonly RecordedEvent[]) => {
  const services = new Map<string, { kind: string; changes: { status: string; at: number }[] }>();
  for (const event of events) {
    const status = STATUS_OF[event.type];
    if (status === undefined) continue;
    const data = event.data as Data;
    const at = Date.parse(data[TIME_OF[event.type]!]!);
    if (event.type === 'ServiceOrdered') services.set(data.serviceId!, { kind: data.kind!, changes: [] });
    services.get(data.serviceId!)!.changes.push({ status, at });
  }
  return services;
};

describe('the analytics figures of a generated demo book, against sums over its raw events', () => {
  let connection: DatabaseConnection;
  let events: RecordedEvent[] = [];
  const db = () => connection.db as Kysely<ServiceStatusTimelineDatabase>;
  const END = Date.parse('2028-06-30T03:00:00.000Z');

  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
    const eventStore = PostgresEventStore.open(connection.db, { directQuery: connection.query });
    await generateDemoBook(
      { eventStore, cache: new AggregateCache() },
      connection.db as Kysely<DemoBookDatabase>,
      { contracts: 14, months: 5, seed: 2028, startDate: '2028-01-31' },
    );
    for (;;) {
      const last = events.at(-1);
      const page = await eventStore.readAll({ maxCount: 2_000, ...(last ? { after: last.position } : {}) });
      if (page.length === 0) break;
      events.push(...page);
    }
    await eventStore.close();
    events = events.filter((event) => serviceStatusTimelineProjection.handles.includes(event.type));
    // The whole log, then the whole log again: a replay must change nothing.
    for (let pass = 0; pass < 2; pass++) {
      for (let start = 0; start < events.length; start += 500) {
        await db()
          .transaction()
          .execute((trx) => serviceStatusTimelineProjection.apply(events.slice(start, start + 500), trx));
      }
    }
  }, 240_000);
  afterAll(() => connection.close());

  it.each([
    ['a window inside the book', '2028-02-15T03:00:00.000Z', '2028-04-20T03:00:00.000Z'],
    ['a window from before the first order', '2027-12-01T00:00:00.000Z', '2028-03-01T03:00:00.000Z'],
    [
      'a window past the end, open intervals up to its end',
      '2028-05-31T03:00:00.000Z',
      '2028-06-30T03:00:00.000Z',
    ],
  ])('gives the status durations of %s', async (_name, fromIso, toIso) => {
    const from = Date.parse(fromIso);
    const end = Math.min(Date.parse(toIso), END);
    const expected: Record<string, number> = {};
    for (const { kind, changes } of statusChangesOf(events).values()) {
      changes.forEach(({ status, at }, index) => {
        const inside = Math.min(changes[index + 1]?.at ?? Infinity, end) - Math.max(at, from);
        if (inside > 0) expected[`${kind}/${status}`] = (expected[`${kind}/${status}`] ?? 0) + inside;
      });
    }
    const { rows } = await statusDurationsQuery({ from: new Date(from), end: new Date(end) }).execute(db());
    const actual = Object.fromEntries(
      rows.map((row) => [`${row.kind}/${row.status}`, Math.round(row.seconds * 1000)]),
    );
    expect(actual).toEqual(expected);
    expect(Object.keys(actual).length).toBeGreaterThan(2);
  });

  it.each([
    '2028-03-01T02:59:59.999Z',
    '2028-03-01T03:00:00.000Z',
    '2028-04-30T12:00:00.000Z',
    '2028-06-29T23:00:00.000Z',
  ])('ages the invoices open at %s', async (atIso) => {
    const at = Date.parse(atIso);
    const invoices = new Map<string, { total: number; due: string; issued: number; closed: number }>();
    for (const event of events) {
      const data = event.data as Data & { totalCents?: number };
      if (event.type === 'InvoiceIssued') {
        invoices.set(data.invoiceId!, {
          total: data.totalCents!,
          due: data.dueDate!,
          issued: Date.parse(data.issuedAt!),
          closed: Infinity,
        });
      }
      if (event.type === 'InvoicePaid') invoices.get(data.invoiceId!)!.closed = Date.parse(data.paidAt!);
      if (event.type === 'InvoiceCancelled')
        invoices.get(data.invoiceId!)!.closed = Date.parse(data.cancelledAt!);
    }
    const buckets: Record<string, [number, number]> = {
      '0': [0, 0],
      '1-3': [0, 0],
      '4-10': [0, 0],
      '11-30': [0, 0],
      '31+': [0, 0],
    };
    for (const invoice of invoices.values()) {
      if (invoice.issued > at || invoice.closed <= at) continue;
      const late = daysBetween(invoice.due, localDate(atIso));
      const bucket = late <= 0 ? '0' : late <= 3 ? '1-3' : late <= 10 ? '4-10' : late <= 30 ? '11-30' : '31+';
      buckets[bucket] = [buckets[bucket]![0] + 1, buckets[bucket]![1] + invoice.total];
    }
    const { rows } = await invoiceAgingQuery(new Date(at)).execute(db());
    expect(Object.fromEntries(rows.map((row) => [row.bucket, [row.invoices, row.amount_cents]]))).toEqual(
      buckets,
    );
  });

  it('counts each suspension and reactivation in its Sao Paulo month', async () => {
    const expected: Record<string, [number, number]> = {};
    for (const { kind, changes } of statusChangesOf(events).values()) {
      changes.forEach(({ status, at }, index) => {
        const previous = changes[index - 1]?.status;
        const suspension = status === 'suspended' && previous !== 'suspended';
        const reactivation = status === 'active' && previous === 'suspended';
        if (!suspension && !reactivation) return;
        const key = `${localDate(new Date(at).toISOString()).slice(0, 7)}/${kind}`;
        const [suspensions, reactivations] = expected[key] ?? [0, 0];
        expected[key] = [suspensions + (suspension ? 1 : 0), reactivations + (reactivation ? 1 : 0)];
      });
    }
    const { rows } = await suspensionsQuery({
      from: new Date('2028-01-01T03:00:00.000Z'),
      to: new Date('2028-07-01T03:00:00.000Z'),
      groupBy: 'month',
    }).execute(db());
    expect(
      Object.fromEntries(
        rows.map((row) => [`${row.period}/${row.kind}`, [row.suspensions, row.reactivations]]),
      ),
    ).toEqual(expected);
    expect(Object.keys(expected).length).toBeGreaterThan(0);
  });
});

import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '@app/event-store';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { openTestDatabase, projectionSpecification, recordedEvent } from '@app/testing';
import { serviceStatusTimelineProjection } from './service-status-timeline.projection';
import {
  invoiceAgingQuery,
  serviceTimelineQuery,
  statusDurationsQuery,
  suspensionsQuery,
} from './service-status-timeline.queries';
import type { ServiceStatusTimelineDatabase } from './service-status-timeline.table';

const ordered = (serviceId: string, revision: number, orderedAt: string, kind = 'shared_hosting') =>
  recordedEvent(`service-${serviceId}`, revision, 'ServiceOrdered', {
    serviceId,
    contractId: 'c-1',
    kind,
    plan: 'Plano M',
    billingCycle: 'monthly',
    priceCents: 2990,
    parentServiceId: null,
    parentKind: null,
    paymentMethod: null,
    orderedAt,
    firstDueDate: orderedAt.slice(0, 10),
    anchorDay: 1,
  });
const activated = (serviceId: string, revision: number, activatedAt: string) =>
  recordedEvent(`service-${serviceId}`, revision, 'ServiceActivated', { serviceId, activatedAt });
const suspended = (serviceId: string, revision: number, suspendedAt: string, invoiceId: string | null) =>
  recordedEvent(`service-${serviceId}`, revision, 'ServiceSuspended', {
    serviceId,
    reason: invoiceId === null ? 'abuse' : 'non_payment',
    invoiceId,
    note: null,
    suspendedAt,
    suspendedOn: suspendedAt.slice(0, 10),
  });
const reactivated = (serviceId: string, revision: number, reactivatedAt: string) =>
  recordedEvent(`service-${serviceId}`, revision, 'ServiceReactivated', {
    serviceId,
    by: 'payment',
    previousReason: 'non_payment',
    reactivatedAt,
  });
const cancelled = (serviceId: string, revision: number, cancelledAt: string) =>
  recordedEvent(`service-${serviceId}`, revision, 'ServiceCancelled', {
    serviceId,
    when: 'immediate',
    reason: 'mudou de provedor',
    protocolNumber: 'P-1',
    requestedAt: cancelledAt,
    cancelledAt,
  });
const issued = (invoiceId: string, dueDate: string, issuedAt: string, totalCents = 2990) =>
  recordedEvent(`invoice-${invoiceId}`, 0, 'InvoiceIssued', {
    invoiceId,
    contractId: 'c-1',
    lines: [],
    totalCents,
    dueDate,
    issuedAt,
  });
const markedOverdue = (invoiceId: string, markedAt: string) =>
  recordedEvent(`invoice-${invoiceId}`, 1, 'InvoiceMarkedOverdue', { invoiceId, dueDate: '', markedAt });
const invoicePaid = (invoiceId: string, revision: number, paidAt: string) =>
  recordedEvent(`invoice-${invoiceId}`, revision, 'InvoicePaid', {
    invoiceId,
    transactionId: `tx-${invoiceId}`,
    amountCents: 2990,
    method: 'boleto',
    paidAt,
    wasOverdue: true,
  });

// A leap-year history: ordered on Feb 28, active at Sao Paulo midnight of Feb 29 (03:00 UTC), suspended on
// Mar 10, reactivated on Mar 31 just before midnight in Sao Paulo (April 1st in UTC).
const history: readonly RecordedEvent[] = [
  ordered('s-1', 0, '2028-02-28T15:00:00.000Z'),
  activated('s-1', 1, '2028-02-29T03:00:00.000Z'),
  issued('inv-2', '2028-02-29', '2028-02-19T03:00:00.000Z'),
  markedOverdue('inv-2', '2028-03-01T03:00:00.000Z'),
  suspended('s-1', 2, '2028-03-10T03:00:00.000Z', 'inv-2'),
  invoicePaid('inv-2', 2, '2028-04-01T02:30:00.000Z'),
  reactivated('s-1', 3, '2028-04-01T02:30:00.000Z'),
];

describe('the service status timeline read model', () => {
  let connection: DatabaseConnection;
  const db = () => connection.db as Kysely<ServiceStatusTimelineDatabase>;
  const spec = projectionSpecification(serviceStatusTimelineProjection, db);
  const timeline = (database: Kysely<ServiceStatusTimelineDatabase>) =>
    serviceTimelineQuery('s-1')
      .execute(database)
      .then(({ rows }) =>
        rows.map(({ status, reason, from_at, to_at }) => ({ status, reason, from_at, to_at })),
      );

  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
  });
  afterAll(() => connection.close());
  beforeEach(async () => {
    await sql`truncate service_status_intervals, analytics_invoices, projection_stream_revisions`.execute(
      db(),
    );
  });

  it('gives one interval per status, the current one open', () =>
    spec
      .given([])
      .when(history)
      .then(timeline, [
        {
          status: 'pending',
          reason: null,
          from_at: '2028-02-28T15:00:00.000Z',
          to_at: '2028-02-29T03:00:00.000Z',
        },
        {
          status: 'active',
          reason: null,
          from_at: '2028-02-29T03:00:00.000Z',
          to_at: '2028-03-10T03:00:00.000Z',
        },
        {
          status: 'suspended',
          reason: 'non_payment',
          from_at: '2028-03-10T03:00:00.000Z',
          to_at: '2028-04-01T02:30:00.000Z',
        },
        { status: 'active', reason: 'payment', from_at: '2028-04-01T02:30:00.000Z', to_at: null },
      ]));

  it('changes nothing when the same events arrive again', () =>
    spec
      .given(history.slice(0, 4))
      .when(history.slice(2), { times: 2 })
      .then(timeline, [
        expect.objectContaining({ status: 'pending' }),
        expect.objectContaining({ status: 'active', to_at: '2028-03-10T03:00:00.000Z' }),
        expect.objectContaining({ status: 'suspended', to_at: '2028-04-01T02:30:00.000Z' }),
        expect.objectContaining({ status: 'active', to_at: null }),
      ]));

  it('keeps a cancelled service in its final status, open-ended', () =>
    spec
      .given(history)
      .when([cancelled('s-1', 4, '2028-12-31T23:59:59.999Z')])
      .then(
        (database) => timeline(database).then((rows) => rows.slice(-2)),
        [
          expect.objectContaining({ status: 'active', to_at: '2028-12-31T23:59:59.999Z' }),
          {
            status: 'cancelled',
            reason: 'mudou de provedor',
            from_at: '2028-12-31T23:59:59.999Z',
            to_at: null,
          },
        ],
      ));

  it('counts a suspension on the Sao Paulo day and month it happened in, with its overdue and payment times', async () => {
    await db()
      .transaction()
      .execute((trx) => serviceStatusTimelineProjection.apply(history, trx));
    const { rows: days } = await suspensionsQuery({
      from: new Date('2028-03-01T03:00:00.000Z'),
      to: new Date('2028-05-01T03:00:00.000Z'),
      groupBy: 'day',
    }).execute(db());
    // The reactivation at 02:30 UTC on April 1st is still March 31st in Sao Paulo.
    expect(days).toEqual([
      expect.objectContaining({
        period: '2028-03-10',
        kind: 'shared_hosting',
        suspensions: 1,
        non_payment_suspensions: 1,
        reactivations: 0,
        avg_overdue_to_suspension_seconds: 9 * 86_400,
        avg_suspension_to_payment_seconds: 22 * 86_400 - 1_800,
        paid_after_suspension: 1,
      }),
      expect.objectContaining({ period: '2028-03-31', suspensions: 0, reactivations: 1 }),
    ]);
    const { rows: months } = await suspensionsQuery({
      from: new Date('2028-03-01T03:00:00.000Z'),
      to: new Date('2028-05-01T03:00:00.000Z'),
      groupBy: 'month',
    }).execute(db());
    expect(months).toEqual([
      expect.objectContaining({ period: '2028-03', suspensions: 1, reactivations: 1 }),
    ]);
  });

  it('ages open invoices by Sao Paulo days past their due date, as of any instant', async () => {
    await db()
      .transaction()
      .execute((trx) =>
        serviceStatusTimelineProjection.apply(
          [
            issued('a', '2028-02-29', '2028-02-19T03:00:00.000Z', 1000),
            issued('b', '2028-02-26', '2028-02-16T03:00:00.000Z', 2000),
            issued('c', '2028-01-31', '2028-01-21T03:00:00.000Z', 4000),
            invoicePaid('c', 1, '2028-03-05T12:00:00.000Z'),
          ],
          trx,
        ),
      );
    const aging = async (at: string) =>
      (await invoiceAgingQuery(new Date(at)).execute(db())).rows.map((row) => [
        row.bucket,
        row.invoices,
        row.amount_cents,
      ]);
    // 02:59 UTC on March 1st is still Feb 29th in Sao Paulo: `a` is due that day, `b` 3 days late, `c` 29.
    expect(await aging('2028-03-01T02:59:59.999Z')).toEqual([
      ['0', 1, 1000],
      ['1-3', 1, 2000],
      ['4-10', 0, 0],
      ['11-30', 1, 4000],
      ['31+', 0, 0],
    ]);
    // A minute later it is March 1st: `a` 1 day, `b` 4 days, `c` 30 days late.
    expect(await aging('2028-03-01T03:00:00.000Z')).toEqual([
      ['0', 0, 0],
      ['1-3', 1, 1000],
      ['4-10', 1, 2000],
      ['11-30', 1, 4000],
      ['31+', 0, 0],
    ]);
    // After `c` was paid it is no longer open; before it was issued neither.
    expect(await aging('2028-03-06T03:00:00.000Z')).toEqual([
      ['0', 0, 0],
      ['1-3', 0, 0],
      ['4-10', 2, 3000],
      ['11-30', 0, 0],
      ['31+', 0, 0],
    ]);
    expect((await aging('2028-01-01T00:00:00.000Z')).every(([, invoices]) => invoices === 0)).toBe(true);
  });

  describe('status durations over a window, against a plain model of the intervals', () => {
    const STATUS_EVENT = ['active', 'suspended', 'active', 'cancelled'] as const;
    const START = Date.parse('2028-01-31T03:00:00.000Z');
    const HOUR = 3_600_000;

    type ServiceHistory = Readonly<{ kind: string; orderedAfter: number; gaps: readonly number[] }>;
    /** A service's history: ordered at START + offset, then status changes at increasing gaps (in hours). */
    const serviceHistory: fc.Arbitrary<ServiceHistory> = fc.record({
      kind: fc.constantFrom('shared_hosting', 'cloud_server'),
      orderedAfter: fc.integer({ min: 0, max: 24 * 40 }),
      gaps: fc.array(fc.integer({ min: 1, max: 24 * 30 }), { maxLength: STATUS_EVENT.length }),
    });

    const eventsOf = (id: string, service: ServiceHistory): RecordedEvent[] => {
      let at = START + service.orderedAfter * HOUR;
      const events = [ordered(id, 0, new Date(at).toISOString(), service.kind)];
      service.gaps.forEach((gap, index) => {
        at += gap * HOUR;
        const iso = new Date(at).toISOString();
        const status = STATUS_EVENT[index]!;
        if (status === 'active' && index === 0) events.push(activated(id, index + 1, iso));
        else if (status === 'active') events.push(reactivated(id, index + 1, iso));
        else if (status === 'suspended') events.push(suspended(id, index + 1, iso, null));
        else events.push(cancelled(id, index + 1, iso));
      });
      return events;
    };

    /** Seconds per "kind/status" inside [from, min(to, now)), by clipping each interval in plain TypeScript. */
    const plainDurations = (
      services: readonly ServiceHistory[],
      from: number,
      to: number,
      now: number,
    ): Record<string, number> => {
      const end = Math.min(to, now);
      const totals: Record<string, number> = {};
      services.forEach((service) => {
        const starts = [START + service.orderedAfter * HOUR];
        service.gaps.forEach((gap) => starts.push(starts.at(-1)! + gap * HOUR));
        const statuses = ['pending', ...STATUS_EVENT.slice(0, service.gaps.length)];
        statuses.forEach((status, index) => {
          const intervalEnd = starts[index + 1] ?? Infinity;
          const inside = Math.min(intervalEnd, end) - Math.max(starts[index]!, from);
          if (inside > 0)
            totals[`${service.kind}/${status}`] = (totals[`${service.kind}/${status}`] ?? 0) + inside / 1000;
        });
      });
      return totals;
    };

    it('clips every interval to the window and open ones to now', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(serviceHistory, { minLength: 1, maxLength: 4 }),
          fc.integer({ min: 0, max: 24 * 150 }),
          fc.integer({ min: 1, max: 24 * 120 }),
          fc.integer({ min: 0, max: 24 * 200 }),
          async (services, fromHours, lengthHours, nowHours) => {
            await sql`truncate service_status_intervals, projection_stream_revisions`.execute(db());
            const events = services.flatMap((service, index) => eventsOf(`p-${index}`, service));
            await db()
              .transaction()
              .execute((trx) => serviceStatusTimelineProjection.apply(events, trx));
            const from = START + fromHours * HOUR;
            const to = from + lengthHours * HOUR;
            const now = START + nowHours * HOUR;
            const end = Math.min(to, now);
            const { rows } =
              end > from
                ? await statusDurationsQuery({ from: new Date(from), end: new Date(end) }).execute(db())
                : { rows: [] };
            const fromSql = Object.fromEntries(rows.map((row) => [`${row.kind}/${row.status}`, row.seconds]));
            expect(fromSql).toEqual(plainDurations(services, from, to, now));
          },
        ),
        { numRuns: 40 },
      );
    });

    it('adds up to the same totals when a window is split in two at any instant', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(serviceHistory, { minLength: 1, maxLength: 3 }),
          fc.integer({ min: 1, max: 24 * 90 - 1 }),
          async (services, splitHours) => {
            await sql`truncate service_status_intervals, projection_stream_revisions`.execute(db());
            const events = services.flatMap((service, index) => eventsOf(`q-${index}`, service));
            await db()
              .transaction()
              .execute((trx) => serviceStatusTimelineProjection.apply(events, trx));
            const totals = async (from: number, end: number) =>
              Object.fromEntries(
                (
                  await statusDurationsQuery({ from: new Date(from), end: new Date(end) }).execute(db())
                ).rows.map((row) => [`${row.kind}/${row.status}`, row.seconds]),
              );
            const from = START;
            const end = START + 24 * 90 * HOUR;
            const split = START + splitHours * HOUR;
            const whole = await totals(from, end);
            const [left, right] = [await totals(from, split), await totals(split, end)];
            const summed: Record<string, number> = { ...left };
            for (const [key, seconds] of Object.entries(right)) summed[key] = (summed[key] ?? 0) + seconds;
            expect(summed).toEqual(whole);
          },
        ),
        { numRuns: 20 },
      );
    });
  });
});

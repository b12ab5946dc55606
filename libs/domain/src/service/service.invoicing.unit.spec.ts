import fc from 'fast-check';
import { BILLING_CYCLES, cycleMonths } from '../value-objects/billing-cycle';
import { addDays, daysInMonth, localDate } from '../value-objects/calendar';
import type { Cents } from '../value-objects/money';
import { invoiceDecider } from '../invoice/invoice.decider';
import { issuePeriodInvoice, periodInvoiceId, periodStartsUntil } from './service.invoicing';
import type { ServiceData } from './service.state';

const service = (data: Partial<ServiceData> = {}): ServiceData => ({
  serviceId: 'svc-1',
  contractId: 'ctr-1',
  kind: 'shared_hosting',
  plan: 'Plano M',
  billingCycle: 'monthly',
  priceCents: 2990 as Cents,
  parentServiceId: null,
  parentKind: null,
  paymentMethod: null,
  orderedAt: '2024-01-31T15:00:00Z',
  nextDueDate: '2024-01-31',
  anchorDay: 31,
  instanceId: null,
  paidInvoiceIds: [],
  ...data,
});
const metadata = { now: '2024-01-31T15:00:00Z', actor: { kind: 'system', rule: 'test' } } as const;

describe('what an invoice bills', () => {
  it.each([
    ['monthly', '2024-01-31', '2024-02-28', 2990, '1 mês'],
    ['quarterly', '2024-01-31', '2024-04-29', 3 * 2990, '3 meses'],
    ['semiannual', '2024-01-31', '2024-07-30', 6 * 2990, '6 meses'],
    ['annual', '2024-01-31', '2025-01-30', 12 * 2990, '12 meses'],
  ] as const)(
    'a %s cycle from %s bills its months, to the day before the next due date',
    (cycle, start, end, cents, months) => {
      const command = issuePeriodInvoice(service({ billingCycle: cycle }), start, metadata);
      expect(command.data).toEqual({
        invoiceId: 'inv-svc-1-2024-01-31',
        contractId: 'ctr-1',
        dueDate: '2024-01-31',
        lines: [
          {
            serviceId: 'svc-1',
            description: `Plano M: ${start} a ${end} (${months})`,
            periodStart: start,
            periodEnd: end,
            amountCents: cents,
          },
        ],
      });
    },
  );

  it('keeps the anchor day: the period after Feb 29 runs to Mar 30, on a leap year', () => {
    const command = issuePeriodInvoice(service(), '2024-02-29', metadata);
    expect(command.data.lines[0]).toMatchObject({ periodStart: '2024-02-29', periodEnd: '2024-03-30' });
  });

  it('names an add-on on its own line', () => {
    const addon = service({
      serviceId: 'svc-2',
      kind: 'addon',
      plan: 'IP dedicado',
      parentServiceId: 'svc-1',
    });
    expect(issuePeriodInvoice(addon, '2024-01-31', metadata).data.lines[0]?.description).toBe(
      'Adicional IP dedicado: 2024-01-31 a 2024-02-28 (1 mês)',
    );
  });

  it('names one invoice per service and period, which the invoice decider accepts', () => {
    expect(periodInvoiceId('svc-1', '2024-03-31')).toBe('inv-svc-1-2024-03-31');
    const events = invoiceDecider.decide(issuePeriodInvoice(service(), '2024-01-31', metadata), {
      status: 'none',
    });
    expect(events).toMatchObject([
      { type: 'InvoiceIssued', data: { totalCents: 2990, dueDate: '2024-01-31' } },
    ]);
  });

  it('bills contiguous periods of a whole cycle each, from the order day, whatever the cycle and anchor day', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BILLING_CYCLES),
        fc.date({
          min: new Date('2023-01-01T00:00:00Z'),
          max: new Date('2030-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 100_000 }),
        (cycle, orderedOn, price) => {
          const orderedAt = `${orderedOn.toISOString().slice(0, 10)}T15:00:00.000Z`;
          const first = localDate(orderedAt);
          const ordered = service({
            billingCycle: cycle,
            priceCents: price as Cents,
            orderedAt,
            nextDueDate: first,
            anchorDay: Number(first.slice(8)),
          });
          const starts = periodStartsUntil(ordered, addDays(first, 800));
          expect(starts[0]).toBe(first);
          const lines = starts.map((start) => issuePeriodInvoice(ordered, start, metadata).data.lines[0]!);
          lines.forEach((line, index) => {
            expect(line.amountCents).toBe(price * cycleMonths(cycle));
            expect(line.periodStart <= line.periodEnd).toBe(true);
            const next = lines[index + 1];
            if (next) expect(addDays(line.periodEnd, 1)).toBe(next.periodStart);
            // Every period starts on the anchor day, or on the last day of a month too short for it.
            const [year, month, day] = line.periodStart.split('-').map(Number) as [number, number, number];
            expect(day).toBe(Math.min(ordered.anchorDay, daysInMonth(year, month)));
          });
        },
      ),
    );
  });
});

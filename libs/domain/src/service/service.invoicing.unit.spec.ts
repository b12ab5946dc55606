import type { Cents } from '../value-objects/money';
import { invoiceDecider } from '../invoice/invoice.decider';
import { issuePeriodInvoice, periodInvoiceId } from './service.invoicing';
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
});

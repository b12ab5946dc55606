import type { Actor } from '../shared/actor';
import type { IssueInvoice } from '../invoice/invoice.commands';
import type { InvoiceLine } from '../invoice/invoice.events';
import { cycleMonths, nextDueDate } from '../value-objects/billing-cycle';
import { localDate, type Instant, type LocalDate } from '../value-objects/calendar';
import { billingPeriodFrom, type BillingPeriod } from './service.billing-clock';
import type { ServiceData } from './service.state';

/**
 * The id of the invoice that bills `serviceId`'s period starting on `periodStart`. One invoice per service and
 * period: the reactor that issues the first one and the billing clock that issues the later ones name it the
 * same way, so no period is ever invoiced twice, whoever gets there first and however often.
 */
export const periodInvoiceId = (serviceId: string, periodStart: LocalDate): string =>
  `inv-${serviceId}-${periodStart}`;

const monthsText = (months: number): string => (months === 1 ? '1 mês' : `${months} meses`);

/**
 * The line that bills one service for one period: its plan, the period it covers (both days included) and the
 * cycle's months at the monthly price. An add-on is a service of its own and so always has a line of its own.
 */
export const periodLine = (service: ServiceData, period: BillingPeriod): InvoiceLine => ({
  serviceId: service.serviceId,
  description:
    `${service.kind === 'addon' ? 'Adicional ' : ''}${service.plan}: ` +
    `${period.periodStart} a ${period.periodEnd} (${monthsText(cycleMonths(service.billingCycle))})`,
  periodStart: period.periodStart,
  periodEnd: period.periodEnd,
  amountCents: period.amountCents,
});

/**
 * The command that issues `service`'s invoice for the period starting on `periodStart`, due that day: the first
 * invoice of a new order is due the day of the order, each later one on the day its period starts.
 */
export const issuePeriodInvoice = (
  service: ServiceData,
  periodStart: LocalDate,
  metadata: Readonly<{ now: Instant; actor: Actor }>,
): IssueInvoice => {
  const period = billingPeriodFrom(service, periodStart);
  return {
    type: 'IssueInvoice',
    data: {
      invoiceId: periodInvoiceId(service.serviceId, periodStart),
      contractId: service.contractId,
      lines: [periodLine(service, period)],
      dueDate: periodStart,
    },
    metadata,
  };
};

/**
 * The start of every billing period of `service` from its order up to `untilDate` (included): the due dates of
 * every invoice that may bill it, so a rule can find them by id without a read model.
 */
export const periodStartsUntil = (service: ServiceData, untilDate: LocalDate): readonly LocalDate[] => {
  const starts: LocalDate[] = [];
  for (
    let start = localDate(service.orderedAt);
    start <= untilDate;
    start = nextDueDate(start, service.billingCycle, service.anchorDay)
  ) {
    starts.push(start);
  }
  return starts;
};

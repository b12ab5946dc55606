import { cycleMonths, nextDueDate } from '../value-objects/billing-cycle';
import {
  addDays,
  daysBetween,
  isOnOrAfter,
  localDate,
  type Instant,
  type LocalDate,
} from '../value-objects/calendar';
import { type Cents, multiplyCents } from '../value-objects/money';
import { suspensionDate } from '../value-objects/service-kind';
import {
  type ActiveService,
  isLive,
  retentionEndsOn,
  type ServiceData,
  type ServiceState,
  type SuspendedService,
} from './service.state';

/** Days before a billing period starts on which the billing clock issues its invoice, unless configured otherwise. */
export const DEFAULT_INVOICE_DAYS_BEFORE_DUE = 10;

/**
 * One billing period of a service: the days it covers (both included, from a due date to the day before the next
 * one) and what it costs, the cycle's months times the monthly price. Its invoice is due on `periodStart`.
 */
export type BillingPeriod = Readonly<{ periodStart: LocalDate; periodEnd: LocalDate; amountCents: Cents }>;

/**
 * Whether the billing clock invoices the service: it is active, or suspended for non-payment (such a service is
 * still billed during its retention), and no cancellation is scheduled (that stops future invoices). A pending,
 * cancelled or terminated service is not billed, nor one suspended by staff or with its parent.
 */
export const isBillable = (state: ServiceState): state is ActiveService | SuspendedService =>
  (state.status === 'active' ||
    (state.status === 'suspended' && state.suspension.reason === 'non_payment')) &&
  state.scheduledCancellation === null;

/** The billing period of `service` that starts on `periodStart`: one cycle, at the cycle's months of the monthly price. */
export const billingPeriodFrom = (
  service: Pick<ServiceData, 'billingCycle' | 'anchorDay' | 'priceCents'>,
  periodStart: LocalDate,
): BillingPeriod => ({
  periodStart,
  periodEnd: addDays(nextDueDate(periodStart, service.billingCycle, service.anchorDay), -1),
  amountCents: multiplyCents(service.priceCents, cycleMonths(service.billingCycle)),
});

/**
 * The billing periods whose invoice the billing clock issues on `asOfDate` (a Sao Paulo date): those of a
 * billable service that start from that day to `daysBefore` days later. Invoices are issued on schedule, one per
 * service and period, whether or not earlier ones were paid: the periods run on from the next due date, which
 * moves one cycle per paid invoice only. A daily run meets each period on `daysBefore + 1` days, so the clock
 * names the invoice (and its command id) after the service and `periodStart`, and a later run issues nothing new.
 */
export const billingPeriodsDue = (
  state: ServiceState,
  asOfDate: LocalDate,
  daysBefore: number = DEFAULT_INVOICE_DAYS_BEFORE_DUE,
): readonly BillingPeriod[] => {
  if (!isBillable(state)) return [];
  const horizon = addDays(asOfDate, daysBefore);
  const due: BillingPeriod[] = [];
  for (
    let start = state.nextDueDate;
    daysBetween(start, horizon) >= 0;
    start = nextDueDate(start, state.billingCycle, state.anchorDay)
  ) {
    if (isOnOrAfter(start, asOfDate)) due.push(billingPeriodFrom(state, start));
  }
  return due;
};

/**
 * Whether an active service with an invoice still unpaid from `unpaidInvoiceOriginalDueDate` must be suspended
 * at `asOf`: on or after the 10th (shared kinds) or 3rd (cloud, dedicated) Sao Paulo day after that due date.
 */
export const isSuspensionDue = (
  state: ServiceState,
  unpaidInvoiceOriginalDueDate: LocalDate,
  asOf: Instant,
): boolean =>
  state.status === 'active' &&
  isOnOrAfter(
    localDate(asOf),
    suspensionDate(state.kind, unpaidInvoiceOriginalDueDate, state.parentKind ?? undefined),
  );

/**
 * Whether a service suspended for non-payment has come to the end of its retention at `asOf`, so it must be
 * terminated. An administrative suspension never ends in termination by itself, and an add-on suspended with its
 * parent is terminated with the parent.
 */
export const isTerminationDue = (state: ServiceState, asOf: Instant): boolean =>
  state.status === 'suspended' &&
  state.suspension.reason === 'non_payment' &&
  isOnOrAfter(localDate(asOf), retentionEndsOn(state));

/** Whether a cancellation scheduled for the end of the paid period takes effect at `asOf`. */
export const isScheduledCancellationDue = (state: ServiceState, asOf: Instant): boolean =>
  isLive(state) &&
  state.status !== 'pending' &&
  state.scheduledCancellation !== null &&
  isOnOrAfter(localDate(asOf), state.scheduledCancellation.effectiveOn);

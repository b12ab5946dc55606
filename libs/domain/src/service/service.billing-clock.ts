import { nextDueDate } from '../value-objects/billing-cycle';
import {
  addDays,
  daysBetween,
  isOnOrAfter,
  localDate,
  type Instant,
  type LocalDate,
} from '../value-objects/calendar';
import { suspensionDate } from '../value-objects/service-kind';
import { isLive, retentionEndsOn, type ServiceState } from './service.state';

/** Days before the next due date on which the billing clock issues the invoice, unless configured otherwise. */
export const DEFAULT_INVOICE_DAYS_BEFORE_DUE = 10;

/**
 * Whether the billing clock should issue the invoice for the service's next due date on `asOfDate` (a Sao Paulo
 * date): the service is active or suspended (a suspended service is still billed during retention), no
 * cancellation is scheduled (it stops future invoices), and the due date is at most `daysBefore` days away.
 * The clock names that invoice after the service and the due date, so asking again on a later day issues nothing.
 */
export const isInvoiceDue = (
  state: ServiceState,
  asOfDate: LocalDate,
  daysBefore: number = DEFAULT_INVOICE_DAYS_BEFORE_DUE,
): boolean =>
  (state.status === 'active' || state.status === 'suspended') &&
  state.scheduledCancellation === null &&
  daysBetween(asOfDate, state.nextDueDate) <= daysBefore;

/** The period the invoice for the next due date covers: from that date to the day before the following one. */
export const nextBillingPeriod = (
  state: Exclude<ServiceState, { status: 'none' }>,
): Readonly<{ periodStart: LocalDate; periodEnd: LocalDate }> => ({
  periodStart: state.nextDueDate,
  periodEnd: addDays(nextDueDate(state.nextDueDate, state.billingCycle, state.anchorDay), -1),
});

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

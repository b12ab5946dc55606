import { localDate, type Instant } from '../value-objects/calendar';
import type { InvoiceState } from './invoice.state';

/** Whether the billing clock should record the invoice as overdue at `asOf`: still open after its due date. */
export const isOverdueMarkDue = (state: InvoiceState, asOf: Instant): boolean =>
  state.status === 'open' && localDate(asOf) > state.dueDate;

/** Whether the invoice is paid and its nota fiscal is still to be issued (the portal's "pending" list). */
export const isNotaFiscalPending = (state: InvoiceState): boolean =>
  state.status === 'paid' && state.notaFiscal === null;

/**
 * Whether an unpaid invoice bills only services in `cancelledServiceIds`, so cancelling those services must
 * cancel it too.
 */
export const billsOnlyCancelledServices = (
  state: InvoiceState,
  cancelledServiceIds: ReadonlySet<string>,
): boolean =>
  (state.status === 'open' || state.status === 'overdue') &&
  state.lines.every((line) => cancelledServiceIds.has(line.serviceId));

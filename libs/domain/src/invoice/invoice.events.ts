import type { Message } from '../shared/decider';
import type { Instant, LocalDate } from '../value-objects/calendar';
import type { Cents } from '../value-objects/money';
import type { PaymentMethodKind } from '../value-objects/payment-method';

/** One billed item: a service over a period (both ends included). */
export type InvoiceLine = Readonly<{
  serviceId: string;
  description: string;
  periodStart: LocalDate;
  periodEnd: LocalDate;
  amountCents: Cents;
}>;

/** An invoice was issued to a contract. */
export type InvoiceIssued = Message<
  'InvoiceIssued',
  {
    invoiceId: string;
    contractId: string;
    lines: readonly InvoiceLine[];
    totalCents: Cents;
    dueDate: LocalDate;
    issuedAt: Instant;
  }
>;

/**
 * The billing clock found the invoice unpaid the day after its due date. Recorded as an event so timelines show
 * when it happened; an overdue invoice can still be paid.
 */
export type InvoiceMarkedOverdue = Message<
  'InvoiceMarkedOverdue',
  { invoiceId: string; dueDate: LocalDate; markedAt: Instant }
>;

/** A payment for the whole open amount arrived (gateway webhook or staff), identified by its transaction id. */
export type InvoicePaid = Message<
  'InvoicePaid',
  {
    invoiceId: string;
    transactionId: string;
    amountCents: Cents;
    method: PaymentMethodKind;
    paidAt: Instant;
    wasOverdue: boolean;
  }
>;

/** Staff refunded a paid invoice. */
export type InvoiceRefunded = Message<
  'InvoiceRefunded',
  { invoiceId: string; amountCents: Cents; reason: string; refundedAt: Instant }
>;

/** An unpaid invoice was cancelled (final). */
export type InvoiceCancelled = Message<
  'InvoiceCancelled',
  { invoiceId: string; reason: string; cancelledAt: Instant }
>;

/** The nota fiscal (Brazilian service invoice for tax purposes) of a paid invoice was issued under `number`. */
export type NotaFiscalIssued = Message<
  'NotaFiscalIssued',
  { invoiceId: string; number: number; issuedAt: Instant }
>;

/** A nota fiscal was cancelled because its invoice was refunded; its number is never reused. */
export type NotaFiscalCancelled = Message<
  'NotaFiscalCancelled',
  { invoiceId: string; number: number; reason: string; cancelledAt: Instant }
>;

/** Every event of the invoice stream. */
export type InvoiceEvent =
  | InvoiceIssued
  | InvoiceMarkedOverdue
  | InvoicePaid
  | InvoiceRefunded
  | InvoiceCancelled
  | NotaFiscalIssued
  | NotaFiscalCancelled;

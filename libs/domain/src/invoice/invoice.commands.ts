import type { Message } from '../shared/decider';
import type { Instant, LocalDate } from '../value-objects/calendar';
import type { Cents } from '../value-objects/money';
import type { PaymentMethodKind } from '../value-objects/payment-method';
import type { InvoiceLine } from './invoice.events';

/** Issue an invoice; its total (the sum of its lines) must be positive. */
export type IssueInvoice = Message<
  'IssueInvoice',
  {
    invoiceId: string;
    contractId: string;
    lines: readonly InvoiceLine[];
    dueDate: LocalDate;
    issuedAt: Instant;
  }
>;

/** The billing clock records an unpaid invoice as overdue, from the day after its due date. */
export type MarkInvoiceOverdue = Message<'MarkInvoiceOverdue', { at: Instant }>;

/** Apply a payment reported by the gateway (or by staff) under its transaction id. */
export type RecordPayment = Message<
  'RecordPayment',
  { transactionId: string; amountCents: Cents; method: PaymentMethodKind; paidAt: Instant }
>;

/** Refund a paid invoice (staff); its nota fiscal, if any, is cancelled with it. */
export type RefundInvoice = Message<'RefundInvoice', { reason: string; at: Instant }>;

/** Cancel an unpaid invoice. */
export type CancelInvoice = Message<'CancelInvoice', { reason: string; at: Instant }>;

/** Issue the invoice's nota fiscal under a number allocated by the nota fiscal series. */
export type IssueNotaFiscal = Message<'IssueNotaFiscal', { number: number; issuedAt: Instant }>;

/** Every command the invoice decider accepts. */
export type InvoiceCommand =
  IssueInvoice | MarkInvoiceOverdue | RecordPayment | RefundInvoice | CancelInvoice | IssueNotaFiscal;

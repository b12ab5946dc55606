import type { Command } from '../shared/decider';
import type { Instant, LocalDate } from '../value-objects/calendar';
import type { PaymentMethodKind } from '../value-objects/payment-method';
import type { InvoiceLine } from './invoice.events';

/*
 * Invoice commands may carry outside data (a gateway webhook, an HTTP body): the decider parses every value it
 * keeps and refuses a bad one with VALIDATION_FAILED naming the field, whatever the types below promise.
 */

/** One line of an invoice to issue, its amount in cents still to be checked. */
export type InvoiceLineInput = Omit<InvoiceLine, 'amountCents'> & Readonly<{ amountCents: number }>;

/** Issue an invoice at `metadata.now`; its total (the sum of its lines) must be positive. */
export type IssueInvoice = Command<
  'IssueInvoice',
  {
    invoiceId: string;
    contractId: string;
    lines: readonly InvoiceLineInput[];
    dueDate: LocalDate;
  }
>;

/** The billing clock records an unpaid invoice as overdue, from the day after its due date. */
export type MarkInvoiceOverdue = Command<'MarkInvoiceOverdue', Readonly<Record<string, never>>>;

/** Apply a payment reported by the gateway (or by staff) under its transaction id; `paidAt` is the gateway's. */
export type RecordPayment = Command<
  'RecordPayment',
  { transactionId: string; amountCents: number; method: PaymentMethodKind; paidAt: Instant }
>;

/** Refund a paid invoice (staff); its nota fiscal, if any, is cancelled with it. */
export type RefundInvoice = Command<'RefundInvoice', { reason: string }>;

/** Cancel an unpaid invoice. */
export type CancelInvoice = Command<'CancelInvoice', { reason: string }>;

/** Issue the invoice's nota fiscal under a number allocated by the nota fiscal series. */
export type IssueNotaFiscal = Command<'IssueNotaFiscal', { number: number }>;

/** Every command the invoice decider accepts. */
export type InvoiceCommand =
  IssueInvoice | MarkInvoiceOverdue | RecordPayment | RefundInvoice | CancelInvoice | IssueNotaFiscal;

import type { Instant, LocalDate } from '../value-objects/calendar';
import type { Cents } from '../value-objects/money';
import type { PaymentMethodKind } from '../value-objects/payment-method';
import type { InvoiceEvent, InvoiceLine } from './invoice.events';

/** What every issued invoice keeps. */
export type InvoiceData = Readonly<{
  invoiceId: string;
  contractId: string;
  lines: readonly InvoiceLine[];
  totalCents: Cents;
  dueDate: LocalDate;
  issuedAt: Instant;
}>;

/** The payment that settled an invoice. */
export type InvoicePayment = Readonly<{
  transactionId: string;
  amountCents: Cents;
  method: PaymentMethodKind;
  paidAt: Instant;
}>;

/** An invoice's nota fiscal: issued, or cancelled by a refund. */
export type InvoiceNotaFiscal = Readonly<{
  number: number;
  issuedAt: Instant;
  status: 'issued' | 'cancelled';
}>;

/** Issued and waiting for payment. */
export type OpenInvoice = InvoiceData & Readonly<{ status: 'open' }>;
/** Still unpaid after its due date; still payable. */
export type OverdueInvoice = InvoiceData & Readonly<{ status: 'overdue'; markedOverdueAt: Instant }>;
/** Settled by one payment. */
export type PaidInvoice = InvoiceData &
  Readonly<{ status: 'paid'; payment: InvoicePayment; notaFiscal: InvoiceNotaFiscal | null }>;
/** Cancelled before payment (final). */
export type CancelledInvoice = InvoiceData & Readonly<{ status: 'cancelled'; cancelledAt: Instant }>;
/** Paid, then refunded by staff (final). */
export type RefundedInvoice = InvoiceData &
  Readonly<{
    status: 'refunded';
    payment: InvoicePayment;
    notaFiscal: InvoiceNotaFiscal | null;
    refundedAt: Instant;
  }>;

/** An invoice's state, by status. `none` is a stream with no invoice issued yet. */
export type InvoiceState =
  | Readonly<{ status: 'none' }>
  | OpenInvoice
  | OverdueInvoice
  | PaidInvoice
  | CancelledInvoice
  | RefundedInvoice;

/** An invoice status, as the API names it (plus `none` before issue). */
export type InvoiceStatus = InvoiceState['status'];

/** The state of a stream with no events. */
export const initialInvoiceState = (): InvoiceState => ({ status: 'none' });

const dataOf = (state: Exclude<InvoiceState, { status: 'none' }>): InvoiceData => ({
  invoiceId: state.invoiceId,
  contractId: state.contractId,
  lines: state.lines,
  totalCents: state.totalCents,
  dueDate: state.dueDate,
  issuedAt: state.issuedAt,
});

/** Folds one event into the state; events that don't fit the current status, or are unknown, change nothing. */
export const evolveInvoice = (state: InvoiceState, event: InvoiceEvent): InvoiceState => {
  if (event.type === 'InvoiceIssued') {
    const { invoiceId, contractId, lines, totalCents, dueDate, issuedAt } = event.data;
    return { status: 'open', invoiceId, contractId, lines, totalCents, dueDate, issuedAt };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'InvoiceMarkedOverdue':
      return { ...dataOf(state), status: 'overdue', markedOverdueAt: event.data.markedAt };
    case 'InvoicePaid': {
      const { transactionId, amountCents, method, paidAt } = event.data;
      return {
        ...dataOf(state),
        status: 'paid',
        payment: { transactionId, amountCents, method, paidAt },
        notaFiscal: null,
      };
    }
    case 'InvoiceRefunded':
      return state.status === 'paid'
        ? { ...state, status: 'refunded', refundedAt: event.data.refundedAt }
        : state;
    case 'InvoiceCancelled':
      return { ...dataOf(state), status: 'cancelled', cancelledAt: event.data.cancelledAt };
    case 'NotaFiscalIssued':
      return state.status === 'paid'
        ? {
            ...state,
            notaFiscal: { number: event.data.number, issuedAt: event.data.issuedAt, status: 'issued' },
          }
        : state;
    case 'NotaFiscalCancelled':
      return (state.status === 'paid' || state.status === 'refunded') && state.notaFiscal !== null
        ? { ...state, notaFiscal: { ...state.notaFiscal, status: 'cancelled' } }
        : state;
    default: {
      // Unknown at compile time is a bug; unknown at run time is a newer event this version ignores.
      const _unhandled: never = event;
      return state;
    }
  }
};

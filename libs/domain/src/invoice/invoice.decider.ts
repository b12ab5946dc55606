import { nowOf } from '../shared/command-time';
import type { Decider } from '../shared/decider';
import { DomainError, InvalidValueError } from '../shared/domain-error';
import { assertNever } from '../shared/exhaustive';
import { isLocalDate, localDate, parseInstant } from '../value-objects/calendar';
import { parseIdentifier } from '../value-objects/identifier';
import { isCents, parseCents, sumCents } from '../value-objects/money';
import { PAYMENT_METHOD_KINDS, type PaymentMethodKind } from '../value-objects/payment-method';
import type { InvoiceCommand, IssueInvoice, RecordPayment } from './invoice.commands';
import type { InvoiceEvent, InvoiceLine } from './invoice.events';
import type { InvoiceState } from './invoice.state';
import { evolveInvoice, initialInvoiceState } from './invoice.state';

type IssuedInvoice = Exclude<InvoiceState, { status: 'none' }>;

const refuse = (
  code: 'INVALID_TRANSITION' | 'INVOICE_NOT_OPEN' | 'NOTA_FISCAL_NOT_ALLOWED',
  message: string,
  state: IssuedInvoice,
  command: InvoiceCommand,
  extra: Record<string, unknown> = {},
): never => {
  throw new DomainError(code, message, { from: state.status, command: command.type, ...extra });
};

const notOpen = (state: IssuedInvoice, command: InvoiceCommand): never =>
  refuse('INVOICE_NOT_OPEN', `This invoice is ${state.status}, no longer open`, state, command);

/** Longest line description or refund and cancellation reason accepted, in characters, after trimming. */
export const INVOICE_TEXT_MAX_LENGTH = 1_000;

const text = (value: unknown, field: string): string => {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed === '') throw new InvalidValueError(field, `${field} must not be blank`);
  if (trimmed.length > INVOICE_TEXT_MAX_LENGTH) {
    throw new InvalidValueError(field, `${field} must have at most ${INVOICE_TEXT_MAX_LENGTH} characters`);
  }
  return trimmed;
};

const parseMethodKind = (value: unknown): PaymentMethodKind => {
  if (!(PAYMENT_METHOD_KINDS as readonly unknown[]).includes(value)) {
    throw new InvalidValueError('method', `method must be one of ${PAYMENT_METHOD_KINDS.join(', ')}`);
  }
  return value as PaymentMethodKind;
};

const parseLine = (line: IssueInvoice['data']['lines'][number], index: number): InvoiceLine => {
  const { amountCents, periodStart, periodEnd } = line;
  if (!isCents(amountCents)) {
    throw new InvalidValueError(
      `lines[${index}].amountCents`,
      'a line amount must be a whole number of cents',
    );
  }
  if (!isLocalDate(periodStart) || !isLocalDate(periodEnd) || periodEnd < periodStart) {
    throw new InvalidValueError(
      `lines[${index}].period`,
      'a line period must be two dates, the end not before the start',
    );
  }
  return {
    serviceId: parseIdentifier(line.serviceId, `lines[${index}].serviceId`),
    description: text(line.description, `lines[${index}].description`),
    periodStart,
    periodEnd,
    amountCents,
  };
};

const issue = (command: IssueInvoice): readonly InvoiceEvent[] => {
  const { dueDate } = command.data;
  const issuedAt = nowOf(command);
  const invoiceId = parseIdentifier(command.data.invoiceId, 'invoiceId');
  const contractId = parseIdentifier(command.data.contractId, 'contractId');
  if (!isLocalDate(dueDate))
    throw new InvalidValueError('dueDate', 'dueDate must be a YYYY-MM-DD calendar date');
  if (command.data.lines.length === 0) {
    throw new InvalidValueError('lines', 'an invoice needs at least one line');
  }
  const lines = command.data.lines.map(parseLine);
  const totalCents = sumCents(lines.map((line) => line.amountCents));
  if (totalCents <= 0) throw new InvalidValueError('lines', 'the invoice total must be more than zero');
  return [{ type: 'InvoiceIssued', data: { invoiceId, contractId, lines, totalCents, dueDate, issuedAt } }];
};

const recordPayment = (command: RecordPayment, state: IssuedInvoice): readonly InvoiceEvent[] => {
  const transactionId = parseIdentifier(command.data.transactionId, 'transactionId');
  const amountCents = parseCents(command.data.amountCents, 'amountCents');
  const method = parseMethodKind(command.data.method);
  const paidAt = parseInstant(command.data.paidAt, 'paidAt');
  if (
    (state.status === 'paid' || state.status === 'refunded') &&
    state.payment.transactionId === transactionId
  ) {
    return [];
  }
  if (state.status !== 'open' && state.status !== 'overdue') return notOpen(state, command);
  if (amountCents !== state.totalCents) {
    throw new DomainError(
      'PAYMENT_AMOUNT_MISMATCH',
      'The payment must equal the open amount of the invoice',
      {
        expectedCents: state.totalCents,
        receivedCents: amountCents,
      },
    );
  }
  return [
    {
      type: 'InvoicePaid',
      data: {
        invoiceId: state.invoiceId,
        transactionId,
        amountCents,
        method,
        paidAt,
        wasOverdue: state.status === 'overdue',
      },
    },
  ];
};

const decideIssued = (command: InvoiceCommand, state: IssuedInvoice): readonly InvoiceEvent[] => {
  const { invoiceId } = state;
  switch (command.type) {
    case 'IssueInvoice':
      throw new DomainError('ALREADY_EXISTS', 'This invoice was already issued', { from: state.status });
    case 'MarkInvoiceOverdue': {
      if (state.status === 'overdue') return [];
      if (state.status !== 'open') return notOpen(state, command);
      const at = nowOf(command);
      // Overdue from the day after the due date: the whole due date, Sao Paulo time, is still on time.
      if (localDate(at) <= state.dueDate) {
        return refuse('INVALID_TRANSITION', 'The invoice is not past its due date yet', state, command, {
          dueDate: state.dueDate,
        });
      }
      return [
        {
          type: 'InvoiceMarkedOverdue',
          data: { invoiceId, dueDate: state.dueDate, markedAt: at },
        },
      ];
    }
    case 'RecordPayment':
      return recordPayment(command, state);
    case 'RefundInvoice': {
      if (state.status !== 'paid') {
        return refuse('INVALID_TRANSITION', 'Only a paid invoice can be refunded', state, command);
      }
      const reason = text(command.data.reason, 'reason');
      const at = nowOf(command);
      const refunded: InvoiceEvent = {
        type: 'InvoiceRefunded',
        data: { invoiceId, amountCents: state.payment.amountCents, reason, refundedAt: at },
      };
      return state.notaFiscal === null
        ? [refunded]
        : [
            refunded,
            {
              type: 'NotaFiscalCancelled',
              data: { invoiceId, number: state.notaFiscal.number, reason, cancelledAt: at },
            },
          ];
    }
    case 'CancelInvoice': {
      const reason = text(command.data.reason, 'reason');
      if (state.status !== 'open' && state.status !== 'overdue') return notOpen(state, command);
      return [{ type: 'InvoiceCancelled', data: { invoiceId, reason, cancelledAt: nowOf(command) } }];
    }
    case 'IssueNotaFiscal': {
      const { number } = command.data;
      const issuedAt = nowOf(command);
      if (!Number.isSafeInteger(number) || number < 1) {
        throw new InvalidValueError('number', 'a nota fiscal number is a positive whole number');
      }
      if (state.status !== 'paid') {
        return refuse(
          'NOTA_FISCAL_NOT_ALLOWED',
          'A nota fiscal is issued only for a paid invoice',
          state,
          command,
        );
      }
      if (state.notaFiscal === null)
        return [{ type: 'NotaFiscalIssued', data: { invoiceId, number, issuedAt } }];
      if (state.notaFiscal.number === number) return [];
      return refuse('NOTA_FISCAL_NOT_ALLOWED', 'This invoice already has a nota fiscal', state, command, {
        number: state.notaFiscal.number,
      });
    }
    default:
      return assertNever(command);
  }
};

/**
 * Decides what a command does to an invoice, or throws a {@link DomainError}: `VALIDATION_FAILED` for a value that
 * does not parse (ids, lines, amounts, dates, payment method kind, reasons), `INVOICE_NOT_OPEN` for paying,
 * cancelling or marking overdue an invoice that is no longer open, `PAYMENT_AMOUNT_MISMATCH` for a payment other
 * than the open amount, `NOTA_FISCAL_NOT_ALLOWED` for a nota on an unpaid, cancelled or refunded invoice or a
 * second one, `INVALID_TRANSITION` (details `{ from, command, … }`) for the rest, `NOT_FOUND` before issue.
 * A repeated transaction id, a repeated overdue mark or the same nota number again return `[]`.
 */
export const decideInvoice = (command: InvoiceCommand, state: InvoiceState): readonly InvoiceEvent[] => {
  if (state.status !== 'none') return decideIssued(command, state);
  if (command.type === 'IssueInvoice') return issue(command);
  throw new DomainError('NOT_FOUND', 'No such invoice', { from: state.status, command: command.type });
};

/** The invoice aggregate: stream `invoice-<id>`, see `invoiceStream`. */
export const invoiceDecider: Decider<InvoiceCommand, InvoiceEvent, InvoiceState> = {
  initialState: initialInvoiceState,
  evolve: evolveInvoice,
  decide: decideInvoice,
};

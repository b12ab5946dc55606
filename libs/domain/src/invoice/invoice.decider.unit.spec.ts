import fc from 'fast-check';
import { deciderSpecification } from '@app/testing';
import type { Actor } from '../shared/actor';
import type { Cents } from '../value-objects/money';
import { billsOnlyCancelledServices, isNotaFiscalPending, isOverdueMarkDue } from './invoice.billing-clock';
import type { InvoiceCommand } from './invoice.commands';
import { invoiceDecider } from './invoice.decider';
import type { InvoiceEvent, InvoiceLine } from './invoice.events';
import { invoiceStream } from './invoice-stream';
import type { InvoiceState } from './invoice.state';

const given = deciderSpecification(invoiceDecider);
const ID = 'inv-1';
const cents = (value: number): Cents => value as Cents;
const stateAfter = (events: readonly InvoiceEvent[]): InvoiceState =>
  events.reduce(invoiceDecider.evolve, invoiceDecider.initialState());

const line = (serviceId: string, amountCents: number): InvoiceLine => ({
  serviceId,
  description: `Hosting ${serviceId}`,
  periodStart: '2024-03-01',
  periodEnd: '2024-03-31',
  amountCents: cents(amountCents),
});
const LINES = [line('svc-1', 2990), line('svc-2', 1010)];
const CLOCK: Actor = { kind: 'system', rule: 'billing-clock' };
const STAFF: Actor = { kind: 'user', userId: 'u-fin', email: 'fin@provedor.com.br', roles: ['billing'] };
/** An invoice command sent at `now` by `actor` (the billing clock unless told). */
const command = <C extends InvoiceCommand>(
  type: C['type'],
  data: C['data'],
  now: string,
  actor: Actor = CLOCK,
): InvoiceCommand => ({ type, data, metadata: { now, actor } }) as C;
const ISSUED_AT = '2024-02-20T12:00:00Z';
const issueData = {
  invoiceId: ID,
  contractId: 'ctr-1',
  lines: LINES,
  dueDate: '2024-03-01',
};
const issue = (data: Partial<typeof issueData> = {}): InvoiceCommand =>
  command('IssueInvoice', { ...issueData, ...data }, ISSUED_AT);
const issued: InvoiceEvent = {
  type: 'InvoiceIssued',
  data: { ...issueData, issuedAt: ISSUED_AT, totalCents: cents(4000) },
};
const overdue: InvoiceEvent = {
  type: 'InvoiceMarkedOverdue',
  data: { invoiceId: ID, dueDate: '2024-03-01', markedAt: '2024-03-02T12:00:00Z' },
};
const pay = (transactionId = 'tx-1', amountCents = 4000): InvoiceCommand =>
  command(
    'RecordPayment',
    { transactionId, amountCents: cents(amountCents), method: 'boleto', paidAt: '2024-02-28T12:00:00Z' },
    '2024-02-28T12:00:05Z',
    { kind: 'system', rule: 'payment-webhook' },
  );
const paid = (wasOverdue = false): InvoiceEvent => ({
  type: 'InvoicePaid',
  data: {
    invoiceId: ID,
    transactionId: 'tx-1',
    amountCents: cents(4000),
    method: 'boleto',
    paidAt: '2024-02-28T12:00:00Z',
    wasOverdue,
  },
});
const notaIssued: InvoiceEvent = {
  type: 'NotaFiscalIssued',
  data: { invoiceId: ID, number: 7, issuedAt: '2024-02-28T13:00:00Z' },
};
const refunded: InvoiceEvent = {
  type: 'InvoiceRefunded',
  data: { invoiceId: ID, amountCents: cents(4000), reason: 'duplicate', refundedAt: '2024-03-05T12:00:00Z' },
};
const cancelled: InvoiceEvent = {
  type: 'InvoiceCancelled',
  data: { invoiceId: ID, reason: 'service cancelled', cancelledAt: '2024-02-25T12:00:00Z' },
};
const markOverdue = (at: string): InvoiceCommand => command('MarkInvoiceOverdue', {}, at);
const refund: InvoiceCommand = command(
  'RefundInvoice',
  { reason: 'duplicate' },
  '2024-03-05T12:00:00Z',
  STAFF,
);
const cancelInvoice: InvoiceCommand = command(
  'CancelInvoice',
  { reason: 'service cancelled' },
  '2024-02-25T12:00:00Z',
  STAFF,
);
const issueNota = (number = 7): InvoiceCommand =>
  command('IssueNotaFiscal', { number }, '2024-02-28T13:00:00Z');

const OPEN = [issued];
const OVERDUE = [issued, overdue];
const PAID = [issued, paid()];
const PAID_WITH_NOTA = [...PAID, notaIssued];
const CANCELLED = [issued, cancelled];
const REFUNDED = [...PAID, refunded];

// A failing property reports its first counterexample without shrinking, so mutation runs stay fast.
fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });

describe('invoice decider', () => {
  it('names its stream invoice-<id>', () => {
    expect(invoiceStream('9')).toBe('invoice-9');
  });

  describe('IssueInvoice', () => {
    it('issues an open invoice with the total of its lines', () => {
      given([]).when(issue()).then([issued]);
      expect(stateAfter(OPEN)).toMatchObject({ status: 'open', totalCents: 4000 });
    });

    it('refuses a zero total, no lines, and bad amounts, dates or periods', () => {
      given([])
        .when(issue({ lines: [line('a', 0)] }))
        .thenFails('VALIDATION_FAILED', { field: 'lines' });
      given([])
        .when(issue({ lines: [] }))
        .thenFails('VALIDATION_FAILED', { field: 'lines' });
      given([])
        .when(issue({ lines: [line('a', 10), line('b', 1.5)] }))
        .thenFails('VALIDATION_FAILED', { field: 'lines[1].amountCents' });
      given([])
        .when(issue({ lines: [line('a', -10)] }))
        .thenFails('VALIDATION_FAILED', { field: 'lines[0].amountCents' });
      given([])
        .when(issue({ dueDate: '2024-02-30' }))
        .thenFails('VALIDATION_FAILED', { field: 'dueDate' });
      for (const period of [
        { periodStart: '2024-03-31', periodEnd: '2024-03-01' },
        { periodStart: 'x', periodEnd: '2024-03-01' },
        { periodStart: '2024-03-01', periodEnd: 'x' },
      ]) {
        given([])
          .when(issue({ lines: [{ ...line('a', 10), ...period }] }))
          .thenFails('VALIDATION_FAILED', { field: 'lines[0].period' });
      }
    });

    it('refuses a blank id, service id or description, and trims the description', () => {
      given([])
        .when(issue({ invoiceId: '' }))
        .thenFails('VALIDATION_FAILED', { field: 'invoiceId' });
      given([])
        .when(issue({ contractId: ' ' }))
        .thenFails('VALIDATION_FAILED', { field: 'contractId' });
      given([])
        .when(issue({ lines: [line('svc-1', 10), { ...line('svc-2', 10), serviceId: '' }] }))
        .thenFails('VALIDATION_FAILED', { field: 'lines[1].serviceId' });
      given([])
        .when(issue({ lines: [{ ...line('svc-1', 10), description: '  ' }] }))
        .thenFails('VALIDATION_FAILED', { field: 'lines[0].description' });
      given([])
        .when(issue({ lines: LINES.map((item) => ({ ...item, description: ` ${item.description} ` })) }))
        .then([issued]);
    });

    it('accepts a one-cent invoice and a one-day period', () => {
      const lines = [{ ...line('a', 1), periodEnd: '2024-03-01', periodStart: '2024-03-01' }];
      given([])
        .when(issue({ lines }))
        .then([{ type: 'InvoiceIssued', data: { ...issued.data, lines, totalCents: cents(1) } }]);
    });

    it('refuses a second issue and answers NOT_FOUND to any other command before issue', () => {
      given(OPEN).when(issue()).thenFails('ALREADY_EXISTS', { from: 'open' });
      given([]).when(pay()).thenFails('NOT_FOUND', { from: 'none', command: 'RecordPayment' });
    });
  });

  describe('MarkInvoiceOverdue', () => {
    it('marks it overdue from the day after the due date, Sao Paulo time', () => {
      given(OPEN)
        .when(markOverdue('2024-03-02T02:59:59Z'))
        .thenFails('INVALID_TRANSITION', { from: 'open', dueDate: '2024-03-01' });
      given(OPEN)
        .when(markOverdue('2024-03-02T03:00:00Z'))
        .then([
          {
            type: 'InvoiceMarkedOverdue',
            data: { invoiceId: ID, dueDate: '2024-03-01', markedAt: '2024-03-02T03:00:00Z' },
          },
        ]);
      given(OPEN).when(markOverdue('2024-02-20T12:00:00Z')).thenFails('INVALID_TRANSITION');
      expect(stateAfter(OVERDUE)).toMatchObject({
        status: 'overdue',
        markedOverdueAt: '2024-03-02T12:00:00Z',
      });
    });

    it('is idempotent', () => {
      given(OVERDUE).when(markOverdue('2024-03-03T12:00:00Z')).thenNothingHappens();
    });

    it('is refused on a paid or cancelled invoice', () => {
      given(PAID).when(markOverdue('2024-03-03T12:00:00Z')).thenFails('INVOICE_NOT_OPEN', { from: 'paid' });
      given(CANCELLED).when(markOverdue('2024-03-03T12:00:00Z')).thenFails('INVOICE_NOT_OPEN');
    });
  });

  describe('RecordPayment', () => {
    it('pays an open invoice with the exact open amount', () => {
      given(OPEN).when(pay()).then([paid()]);
      expect(stateAfter(PAID)).toMatchObject({
        status: 'paid',
        payment: { transactionId: 'tx-1', amountCents: 4000, method: 'boleto' },
        notaFiscal: null,
      });
    });

    it('still accepts payment of an overdue invoice, recording that it was overdue', () => {
      given(OVERDUE)
        .when(pay())
        .then([paid(true)]);
    });

    it('refuses any other amount', () => {
      given(OPEN).when(pay('tx-1', 3999)).thenFails('PAYMENT_AMOUNT_MISMATCH', {
        expectedCents: 4000,
        receivedCents: 3999,
      });
      given(OVERDUE).when(pay('tx-1', 4001)).thenFails('PAYMENT_AMOUNT_MISMATCH');
    });

    it('refuses a payment with an amount, method, time or transaction id that does not parse', () => {
      const payment = (data: Partial<Extract<InvoiceCommand, { type: 'RecordPayment' }>['data']>) =>
        command(
          'RecordPayment',
          {
            transactionId: 'tx-1',
            amountCents: 4000,
            method: 'boleto',
            paidAt: '2024-02-28T12:00:00Z',
            ...data,
          },
          '2024-02-28T12:00:05Z',
        );
      given(OPEN)
        .when(payment({ amountCents: 40.5 }))
        .thenFails('VALIDATION_FAILED', { field: 'amountCents' });
      given(OPEN)
        .when(payment({ amountCents: -4000 }))
        .thenFails('VALIDATION_FAILED', { field: 'amountCents' });
      given(OPEN)
        .when(payment({ method: 'pix' as never }))
        .thenFails('VALIDATION_FAILED', { field: 'method' });
      given(OPEN)
        .when(payment({ paidAt: '28/02/2024' }))
        .thenFails('VALIDATION_FAILED', { field: 'paidAt' });
      given(OPEN)
        .when(payment({ transactionId: '' }))
        .thenFails('VALIDATION_FAILED', { field: 'transactionId' });
    });

    it('applies a transaction id at most once, even after a refund', () => {
      given(PAID).when(pay()).thenNothingHappens();
      given(REFUNDED).when(pay()).thenNothingHappens();
    });

    it('refuses another transaction on a paid, refunded or cancelled invoice', () => {
      given(PAID).when(pay('tx-2')).thenFails('INVOICE_NOT_OPEN', { from: 'paid', command: 'RecordPayment' });
      given(REFUNDED).when(pay('tx-2')).thenFails('INVOICE_NOT_OPEN', { from: 'refunded' });
      given(CANCELLED).when(pay()).thenFails('INVOICE_NOT_OPEN', { from: 'cancelled' });
    });

    it('pays once whatever sequence of deliveries arrives', () => {
      fc.assert(
        fc.property(
          fc.array(fc.constantFrom('tx-a', 'tx-b', 'tx-c'), { minLength: 1, maxLength: 10 }),
          (txs) => {
            let events: readonly InvoiceEvent[] = OPEN;
            const refusals: string[] = [];
            for (const tx of txs) {
              try {
                events = [...events, ...invoiceDecider.decide(pay(tx), stateAfter(events))];
              } catch {
                refusals.push(tx);
              }
            }
            expect(events.filter((e) => e.type === 'InvoicePaid')).toHaveLength(1);
            expect(refusals.every((tx) => tx !== txs[0])).toBe(true);
          },
        ),
      );
    });
  });

  describe('RefundInvoice', () => {
    it('refunds a paid invoice', () => {
      given(PAID).when(refund).then([refunded]);
      expect(stateAfter(REFUNDED)).toMatchObject({ status: 'refunded', refundedAt: '2024-03-05T12:00:00Z' });
    });

    it('cancels its nota fiscal in the same decision', () => {
      const notaCancelled: InvoiceEvent = {
        type: 'NotaFiscalCancelled',
        data: { invoiceId: ID, number: 7, reason: 'duplicate', cancelledAt: '2024-03-05T12:00:00Z' },
      };
      given(PAID_WITH_NOTA).when(refund).then([refunded, notaCancelled]);
      expect(stateAfter([...PAID_WITH_NOTA, refunded, notaCancelled])).toMatchObject({
        status: 'refunded',
        notaFiscal: { number: 7, status: 'cancelled', issuedAt: '2024-02-28T13:00:00Z' },
      });
    });
  });

  describe('refund and cancellation reasons', () => {
    it('refuses a blank reason and trims one', () => {
      given(PAID)
        .when(command('RefundInvoice', { reason: ' ' }, '2024-03-05T12:00:00Z', STAFF))
        .thenFails('VALIDATION_FAILED', { field: 'reason' });
      given(OPEN)
        .when(command('CancelInvoice', { reason: '' }, '2024-02-25T12:00:00Z', STAFF))
        .thenFails('VALIDATION_FAILED', { field: 'reason' });
      given(OPEN)
        .when(command('CancelInvoice', { reason: ' service cancelled ' }, '2024-02-25T12:00:00Z', STAFF))
        .then([cancelled]);
    });
  });

  describe('CancelInvoice', () => {
    it('cancels an open or overdue invoice', () => {
      given(OPEN).when(cancelInvoice).then([cancelled]);
      given(OVERDUE).when(cancelInvoice).then([cancelled]);
      expect(stateAfter(CANCELLED)).toMatchObject({
        status: 'cancelled',
        cancelledAt: '2024-02-25T12:00:00Z',
      });
    });
  });

  describe('IssueNotaFiscal', () => {
    it('issues the nota of a paid invoice', () => {
      given(PAID).when(issueNota()).then([notaIssued]);
      expect(stateAfter(PAID_WITH_NOTA)).toMatchObject({
        notaFiscal: { number: 7, issuedAt: '2024-02-28T13:00:00Z', status: 'issued' },
      });
    });

    it('issues at most one: the same number again changes nothing, another number is refused', () => {
      given(PAID_WITH_NOTA).when(issueNota()).thenNothingHappens();
      given(PAID_WITH_NOTA)
        .when(issueNota(8))
        .thenFails('NOTA_FISCAL_NOT_ALLOWED', { from: 'paid', number: 7 });
    });

    it.each([
      ['open', OPEN],
      ['overdue', OVERDUE],
      ['cancelled', CANCELLED],
      ['refunded', REFUNDED],
    ] as const)('never for a %s invoice', (status, events) => {
      given(events)
        .when(issueNota())
        .thenFails('NOTA_FISCAL_NOT_ALLOWED', { from: status, command: 'IssueNotaFiscal' });
    });

    it('refuses a number that is not a positive whole number', () => {
      for (const number of [0, -1, 1.5]) {
        given(PAID).when(issueNota(number)).thenFails('VALIDATION_FAILED', { field: 'number' });
      }
      given(PAID)
        .when(issueNota(1))
        .then([
          { type: 'NotaFiscalIssued', data: { invoiceId: ID, number: 1, issuedAt: '2024-02-28T13:00:00Z' } },
        ]);
    });
  });

  describe('every status × command', () => {
    const states = {
      open: OPEN,
      overdue: OVERDUE,
      paid: PAID,
      cancelled: CANCELLED,
      refunded: REFUNDED,
    } as const;
    const commands = {
      MarkInvoiceOverdue: markOverdue('2024-04-01T12:00:00Z'),
      RecordPayment: pay('tx-9'),
      RefundInvoice: refund,
      CancelInvoice: cancelInvoice,
      IssueNotaFiscal: issueNota(),
    } as const;
    type Outcome =
      'events' | 'nothing' | 'INVALID_TRANSITION' | 'INVOICE_NOT_OPEN' | 'NOTA_FISCAL_NOT_ALLOWED';
    const table: Record<keyof typeof states, Record<keyof typeof commands, Outcome>> = {
      open: {
        MarkInvoiceOverdue: 'events',
        RecordPayment: 'events',
        RefundInvoice: 'INVALID_TRANSITION',
        CancelInvoice: 'events',
        IssueNotaFiscal: 'NOTA_FISCAL_NOT_ALLOWED',
      },
      overdue: {
        MarkInvoiceOverdue: 'nothing',
        RecordPayment: 'events',
        RefundInvoice: 'INVALID_TRANSITION',
        CancelInvoice: 'events',
        IssueNotaFiscal: 'NOTA_FISCAL_NOT_ALLOWED',
      },
      paid: {
        MarkInvoiceOverdue: 'INVOICE_NOT_OPEN',
        RecordPayment: 'INVOICE_NOT_OPEN',
        RefundInvoice: 'events',
        CancelInvoice: 'INVOICE_NOT_OPEN',
        IssueNotaFiscal: 'events',
      },
      cancelled: {
        MarkInvoiceOverdue: 'INVOICE_NOT_OPEN',
        RecordPayment: 'INVOICE_NOT_OPEN',
        RefundInvoice: 'INVALID_TRANSITION',
        CancelInvoice: 'INVOICE_NOT_OPEN',
        IssueNotaFiscal: 'NOTA_FISCAL_NOT_ALLOWED',
      },
      refunded: {
        MarkInvoiceOverdue: 'INVOICE_NOT_OPEN',
        RecordPayment: 'INVOICE_NOT_OPEN',
        RefundInvoice: 'INVALID_TRANSITION',
        CancelInvoice: 'INVOICE_NOT_OPEN',
        IssueNotaFiscal: 'NOTA_FISCAL_NOT_ALLOWED',
      },
    };
    const cases = Object.entries(table).flatMap(([status, row]) =>
      Object.entries(row).map(([name, outcome]) => ({ status, name, outcome })),
    );

    it.each(cases)('$status × $name → $outcome', ({ status, name, outcome }) => {
      const events = states[status as keyof typeof states];
      const command = commands[name as keyof typeof commands];
      if (outcome === 'events') {
        expect(invoiceDecider.decide(command, stateAfter(events)).length).toBeGreaterThan(0);
      } else if (outcome === 'nothing') {
        given(events).when(command).thenNothingHappens();
      } else {
        given(events).when(command).thenFails(outcome, { from: status, command: command.type });
      }
    });
  });

  describe('evolve', () => {
    it('ignores unknown events, events before issue and events that do not fit the status', () => {
      const open = stateAfter(OPEN);
      expect(invoiceDecider.evolve(open, { type: 'Other', data: {} } as unknown as InvoiceEvent)).toBe(open);
      const none = invoiceDecider.initialState();
      expect(invoiceDecider.evolve(none, paid())).toBe(none);
      expect(invoiceDecider.evolve(open, refunded)).toBe(open);
      expect(invoiceDecider.evolve(open, notaIssued)).toBe(open);
      const paidState = stateAfter(PAID);
      const notaCancelled: InvoiceEvent = {
        type: 'NotaFiscalCancelled',
        data: { invoiceId: ID, number: 7, reason: 'r', cancelledAt: '2024-03-05T12:00:00Z' },
      };
      expect(invoiceDecider.evolve(paidState, notaCancelled)).toBe(paidState);
      expect(invoiceDecider.evolve(open, notaCancelled)).toBe(open);
    });

    it('keeps the issued data through payment', () => {
      expect(stateAfter(PAID_WITH_NOTA)).toEqual({
        status: 'paid',
        invoiceId: ID,
        contractId: 'ctr-1',
        lines: LINES,
        totalCents: 4000,
        dueDate: '2024-03-01',
        issuedAt: '2024-02-20T12:00:00Z',
        payment: {
          transactionId: 'tx-1',
          amountCents: 4000,
          method: 'boleto',
          paidAt: '2024-02-28T12:00:00Z',
        },
        notaFiscal: { number: 7, issuedAt: '2024-02-28T13:00:00Z', status: 'issued' },
      });
    });
  });

  describe('billing clock rules', () => {
    it('an open invoice is to be marked overdue from the day after its due date (Sao Paulo)', () => {
      const open = stateAfter(OPEN);
      expect(isOverdueMarkDue(open, '2024-03-02T02:59:59Z')).toBe(false);
      expect(isOverdueMarkDue(open, '2024-03-02T03:00:00Z')).toBe(true);
      expect(isOverdueMarkDue(stateAfter(OVERDUE), '2024-04-01T12:00:00Z')).toBe(false);
      expect(isOverdueMarkDue(stateAfter(PAID), '2024-04-01T12:00:00Z')).toBe(false);
    });

    it('a paid invoice without a nota has its nota pending', () => {
      expect(isNotaFiscalPending(stateAfter(PAID))).toBe(true);
      expect(isNotaFiscalPending(stateAfter(PAID_WITH_NOTA))).toBe(false);
      expect(isNotaFiscalPending(stateAfter(OPEN))).toBe(false);
    });

    it('an unpaid invoice billing only cancelled services is to be cancelled', () => {
      expect(billsOnlyCancelledServices(stateAfter(OPEN), new Set(['svc-1', 'svc-2']))).toBe(true);
      expect(billsOnlyCancelledServices(stateAfter(OVERDUE), new Set(['svc-1', 'svc-2']))).toBe(true);
      expect(billsOnlyCancelledServices(stateAfter(OPEN), new Set(['svc-1']))).toBe(false);
      expect(billsOnlyCancelledServices(stateAfter(PAID), new Set(['svc-1', 'svc-2']))).toBe(false);
    });
  });

  describe('refusals explain themselves', () => {
    it.each([
      [[], issue({ dueDate: 'x' }), 'dueDate must be a YYYY-MM-DD calendar date'],
      [[], issue({ lines: [] }), 'an invoice needs at least one line'],
      [[], issue({ lines: [line('a', 1.5)] }), 'a line amount must be a whole number of cents'],
      [
        [],
        issue({ lines: [{ ...line('a', 1), periodEnd: '2024-01-01' }] }),
        'a line period must be two dates, the end not before the start',
      ],
      [[], issue({ lines: [line('a', 0)] }), 'the invoice total must be more than zero'],
      [[], pay(), 'No such invoice'],
      [OPEN, issue(), 'This invoice was already issued'],
      [OPEN, markOverdue('2024-03-01T12:00:00Z'), 'The invoice is not past its due date yet'],
      [PAID, pay('tx-2'), 'This invoice is paid, no longer open'],
      [OPEN, pay('tx-1', 1), 'The payment must equal the open amount of the invoice'],
      [OPEN, refund, 'Only a paid invoice can be refunded'],
      [OPEN, issueNota(), 'A nota fiscal is issued only for a paid invoice'],
      [PAID_WITH_NOTA, issueNota(8), 'This invoice already has a nota fiscal'],
      [PAID, issueNota(0), 'a nota fiscal number is a positive whole number'],
    ] as const)('%#: %s', (events, command, message) => {
      expect(() => invoiceDecider.decide(command, stateAfter(events))).toThrow(message);
    });
  });
});

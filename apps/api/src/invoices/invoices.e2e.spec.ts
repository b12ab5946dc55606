import { randomUUID } from 'node:crypto';
import { handleCommand, type WritePath } from '@app/command-handling';
import {
  invoiceStream,
  notaFiscalAllocation,
  notaFiscalSeriesDecider,
  notaFiscalSeriesStream,
  type NotaFiscalSeriesCommand,
} from '@app/domain';
import { WRITE_PATH } from '@app/platform';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { givenInvoice } from '../testing/billing-fixture';
import {
  badFieldsOf,
  eventsOf,
  lastEventOf,
  refusalOf,
  sendCommand,
  type CommandCall,
} from '../testing/command-calls';
import { CALLER_KINDS, givenContract, type CallerKind, type TestContract } from '../testing/contract-fixture';

type Answer = { id: string; position: string };
const answerOf = (response: { body: unknown }) => response.body as Answer;

const PAID_AT = '2026-03-01T14:03:00.000Z';
const payment = (overrides: object = {}) => ({
  transactionId: `tx-${randomUUID()}`,
  amountCents: 2990,
  method: 'boleto',
  paidAt: PAID_AT,
  ...overrides,
});

const pay = (invoiceId: string, body: object): CommandCall => ({
  method: 'post',
  path: `/invoices/${invoiceId}/payments`,
  body,
});
const issueNota = (invoiceId: string): CommandCall => ({
  method: 'post',
  path: `/invoices/${invoiceId}/nota-fiscal`,
});
const refund = (invoiceId: string, body: object = { reason: 'Cobrança em duplicidade' }): CommandCall => ({
  method: 'post',
  path: `/invoices/${invoiceId}/refund`,
  body,
});
const cancel = (invoiceId: string, body: object = { reason: 'Serviço cancelado' }): CommandCall => ({
  method: 'post',
  path: `/invoices/${invoiceId}/cancellation`,
  body,
});

describe('invoice commands over HTTP', () => {
  let api: ApiTestApp;
  let contract: TestContract;
  let owner: string;
  let billing: string;

  beforeAll(async () => {
    api = await startApiTestApp();
    contract = await givenContract(api, 'billing');
    ({ owner, billing } = contract.tokens);
  });
  afterAll(() => api.close());

  const as = (token: string, call: CommandCall, key?: string) =>
    sendCommand(api, call, { token, ...(key === undefined ? {} : { key }) });
  const invoice = (status: 'open' | 'paid' | 'cancelled' = 'open') => givenInvoice(api, contract, { status });
  const seriesEvents = () => eventsOf(api, notaFiscalSeriesStream());
  const notaNumberOf = async (invoiceId: string) =>
    ((await lastEventOf(api, invoiceStream(invoiceId))).data as { number: number }).number;

  describe('POST /invoices/:id/payments', () => {
    it('pays an open invoice with its exact amount, recorded as the staff member who sent it', async () => {
      const invoiceId = await invoice();
      const body = payment({ method: 'credit_card' });
      const response = await as(billing, pay(invoiceId, body)).expect(200);
      expect(answerOf(response).id).toBe(invoiceId);
      expect(await lastEventOf(api, invoiceStream(invoiceId))).toMatchObject({
        type: 'InvoicePaid',
        data: {
          transactionId: body.transactionId,
          amountCents: 2990,
          method: 'credit_card',
          paidAt: PAID_AT,
        },
        metadata: { actor: { kind: 'user', userId: contract.callers.billing.userId } },
      });
    });

    it('refuses any amount but the open one', async () => {
      const invoiceId = await invoice();
      const response = await as(billing, pay(invoiceId, payment({ amountCents: 2989 }))).expect(422);
      expect(response.body).toMatchObject({
        code: 'PAYMENT_AMOUNT_MISMATCH',
        details: { expectedCents: 2990, receivedCents: 2989 },
      });
      expect(await eventsOf(api, invoiceStream(invoiceId))).toHaveLength(1);
    });

    it('refuses another transaction on a paid or cancelled invoice, and applies the same one once', async () => {
      const invoiceId = await invoice();
      const first = payment();
      await as(billing, pay(invoiceId, first)).expect(200);
      await as(billing, pay(invoiceId, first)).expect(200);
      expect(await eventsOf(api, invoiceStream(invoiceId))).toHaveLength(2);
      const paid = await as(billing, pay(invoiceId, payment())).expect(422);
      expect(paid.body).toMatchObject({ code: 'INVOICE_NOT_OPEN', details: { from: 'paid' } });
      const cancelled = await as(billing, pay(await invoice('cancelled'), payment())).expect(422);
      expect(cancelled.body).toMatchObject({ code: 'INVOICE_NOT_OPEN', details: { from: 'cancelled' } });
    });

    it('lists each bad field, refuses unknown ones and an instant that does not parse', async () => {
      const invoiceId = await invoice();
      const bad = await as(
        billing,
        pay(invoiceId, { transactionId: '', amountCents: '2990', method: 'pix', paidAt: 20260301 }),
      ).expect(400);
      expect(badFieldsOf(bad)).toEqual(['amountCents', 'method', 'paidAt', 'transactionId']);
      expect(badFieldsOf(await as(billing, pay(invoiceId, payment({ cvv: '123' }))).expect(400))).toEqual([
        'cvv',
      ]);
      expect(
        badFieldsOf(await as(billing, pay(invoiceId, payment({ paidAt: '01/03/2026' }))).expect(400)),
      ).toEqual(['paidAt']);
      expect(await eventsOf(api, invoiceStream(invoiceId))).toHaveLength(1);
    });

    it('answers a retry byte for byte, appending nothing, and a reuse with 422', async () => {
      const invoiceId = await invoice();
      const body = payment();
      const first = await as(billing, pay(invoiceId, body), 'pay-1').expect(200);
      expect((await as(billing, pay(invoiceId, body), 'pay-1').expect(200)).text).toBe(first.text);
      expect(await eventsOf(api, invoiceStream(invoiceId))).toHaveLength(2);
      const reused = await as(billing, pay(invoiceId, { ...body, method: 'direct_debit' }), 'pay-1').expect(
        422,
      );
      expect(refusalOf(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('answers a stranger exactly as for an invoice that does not exist', async () => {
      const invoiceId = await invoice();
      const hidden = await as(contract.tokens.nonMember, pay(invoiceId, payment())).expect(404);
      const missing = await as(billing, pay('no-such-invoice', payment())).expect(404);
      expect(hidden.body).toEqual(missing.body);
      expect(hidden.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'No such invoice.' });
    });
  });

  describe('POST /invoices/:id/nota-fiscal', () => {
    it('issues the nota of a paid invoice under the next number of the series', async () => {
      const first = await invoice('paid');
      const second = await invoice('paid');
      await as(owner, issueNota(first)).expect(200);
      await as(owner, issueNota(second)).expect(200);
      const [a, b] = [await notaNumberOf(first), await notaNumberOf(second)];
      expect(b).toBe(a + 1);
      expect(await lastEventOf(api, invoiceStream(second))).toMatchObject({
        type: 'NotaFiscalIssued',
        data: { invoiceId: second, number: b },
      });
      const allocations = (await seriesEvents()).slice(-2).map((event) => event.data);
      expect(allocations).toEqual([
        { invoiceId: first, number: a },
        { invoiceId: second, number: b },
      ]);
    });

    it('refuses an unpaid or cancelled invoice without spending a number', async () => {
      const before = (await seriesEvents()).length;
      for (const status of ['open', 'cancelled'] as const) {
        const invoiceId = await invoice(status);
        const response = await as(owner, issueNota(invoiceId)).expect(422);
        expect(response.body).toMatchObject({ code: 'NOTA_FISCAL_NOT_ALLOWED', details: { from: status } });
        expect(await eventsOf(api, invoiceStream(invoiceId))).toHaveLength(status === 'open' ? 1 : 2);
      }
      expect(await seriesEvents()).toHaveLength(before);
    });

    it('refuses a refunded invoice, whose nota the refund cancelled', async () => {
      const invoiceId = await invoice('paid');
      await as(owner, issueNota(invoiceId)).expect(200);
      await as(billing, refund(invoiceId)).expect(200);
      const response = await as(owner, issueNota(invoiceId)).expect(422);
      expect(response.body).toMatchObject({ code: 'NOTA_FISCAL_NOT_ALLOWED', details: { from: 'refunded' } });
    });

    it('issues one nota per invoice: asking again, with another key, changes nothing', async () => {
      const invoiceId = await invoice('paid');
      await as(owner, issueNota(invoiceId), 'nota-a').expect(200);
      const [invoiceEvents, series] = [
        (await eventsOf(api, invoiceStream(invoiceId))).length,
        (await seriesEvents()).length,
      ];
      await as(billing, issueNota(invoiceId), 'nota-b').expect(200);
      expect(await eventsOf(api, invoiceStream(invoiceId))).toHaveLength(invoiceEvents);
      expect(await seriesEvents()).toHaveLength(series);
    });

    it('answers a retry byte for byte, appending nothing to the invoice or the series', async () => {
      const invoiceId = await invoice('paid');
      const first = await as(owner, issueNota(invoiceId), 'nota-1').expect(200);
      const [invoiceEvents, series] = [
        (await eventsOf(api, invoiceStream(invoiceId))).length,
        (await seriesEvents()).length,
      ];
      expect((await as(owner, issueNota(invoiceId), 'nota-1').expect(200)).text).toBe(first.text);
      expect(await eventsOf(api, invoiceStream(invoiceId))).toHaveLength(invoiceEvents);
      expect(await seriesEvents()).toHaveLength(series);
      // A key belongs to the caller and the resource: on another invoice it is a request of its own there.
      const otherInvoice = await invoice('paid');
      await as(owner, issueNota(otherInvoice), 'nota-1').expect(200);
      expect(await notaNumberOf(otherInvoice)).toBe((await notaNumberOf(invoiceId)) + 1);
      expect(await seriesEvents()).toHaveLength(series + 1);
    });

    it('issues under the number already allocated when an earlier attempt stopped between the two appends', async () => {
      const invoiceId = await invoice('paid');
      // The first half of an attempt that died (the billing clock's): the series gave the invoice a number, the
      // invoice never got it.
      const writePath = api.app.get<WritePath>(WRITE_PATH);
      const allocation = await handleCommand(writePath, notaFiscalSeriesDecider, notaFiscalSeriesStream(), {
        command: {
          type: 'AllocateNotaFiscalNumber',
          data: { invoiceId },
          metadata: { now: new Date().toISOString(), actor: { kind: 'system', rule: 'issue-notas-fiscais' } },
        } satisfies NotaFiscalSeriesCommand,
        ...notaFiscalAllocation(invoiceId),
      });
      const allocated = allocation.events[0]?.data.number;
      expect(allocated).toEqual(expect.any(Number));
      const series = (await seriesEvents()).length;
      await as(owner, issueNota(invoiceId)).expect(200);
      expect(await notaNumberOf(invoiceId)).toBe(allocated);
      expect(await seriesEvents()).toHaveLength(series);
    });

    it("refuses any field: the number is the series' to give", async () => {
      const invoiceId = await invoice('paid');
      const response = await as(owner, { ...issueNota(invoiceId), body: { number: 7 } }).expect(400);
      expect(badFieldsOf(response)).toEqual(['number']);
      expect(await eventsOf(api, invoiceStream(invoiceId))).toHaveLength(2);
      await as(owner, { ...issueNota(invoiceId), body: {} }).expect(200);
    });
  });

  describe('POST /invoices/:id/refund', () => {
    it('refunds a paid invoice and cancels its nota with it', async () => {
      const invoiceId = await invoice('paid');
      await as(owner, issueNota(invoiceId)).expect(200);
      const number = await notaNumberOf(invoiceId);
      await as(billing, refund(invoiceId)).expect(200);
      const [refunded, notaCancelled] = (await eventsOf(api, invoiceStream(invoiceId))).slice(-2);
      expect(refunded).toMatchObject({
        type: 'InvoiceRefunded',
        data: { amountCents: 2990, reason: 'Cobrança em duplicidade' },
      });
      expect(notaCancelled).toMatchObject({ type: 'NotaFiscalCancelled', data: { number } });
    });

    it('refuses an unpaid invoice, and a refund twice', async () => {
      const open = await as(billing, refund(await invoice())).expect(422);
      expect(open.body).toMatchObject({
        code: 'INVALID_TRANSITION',
        details: { from: 'open', command: 'RefundInvoice' },
      });
      const invoiceId = await invoice('paid');
      await as(billing, refund(invoiceId)).expect(200);
      const twice = await as(billing, refund(invoiceId)).expect(422);
      expect(twice.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'refunded' } });
    });

    it('checks the reason and refuses unknown fields', async () => {
      const invoiceId = await invoice('paid');
      expect(badFieldsOf(await as(billing, refund(invoiceId, { reason: '' })).expect(400))).toEqual([
        'reason',
      ]);
      expect(
        badFieldsOf(await as(billing, refund(invoiceId, { reason: 'x', amountCents: 1 })).expect(400)),
      ).toEqual(['amountCents']);
      expect(badFieldsOf(await as(billing, refund(invoiceId, { reason: '   ' })).expect(400))).toEqual([
        'reason',
      ]);
      expect(await eventsOf(api, invoiceStream(invoiceId))).toHaveLength(2);
    });

    it('answers a retry byte for byte, appending nothing, and a reuse with 422', async () => {
      const invoiceId = await invoice('paid');
      const first = await as(billing, refund(invoiceId), 'refund-1').expect(200);
      expect((await as(billing, refund(invoiceId), 'refund-1').expect(200)).text).toBe(first.text);
      expect(await eventsOf(api, invoiceStream(invoiceId))).toHaveLength(3);
      const reused = await as(billing, refund(invoiceId, { reason: 'Outro' }), 'refund-1').expect(422);
      expect(refusalOf(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('POST /invoices/:id/cancellation', () => {
    it('cancels an open invoice, which then takes no payment', async () => {
      const invoiceId = await invoice();
      await as(billing, cancel(invoiceId)).expect(200);
      expect(await lastEventOf(api, invoiceStream(invoiceId))).toMatchObject({
        type: 'InvoiceCancelled',
        data: { reason: 'Serviço cancelado' },
      });
      expect(refusalOf(await as(billing, pay(invoiceId, payment())).expect(422)).code).toBe(
        'INVOICE_NOT_OPEN',
      );
    });

    it('refuses a paid or cancelled invoice', async () => {
      const paid = await as(billing, cancel(await invoice('paid'))).expect(422);
      expect(paid.body).toMatchObject({ code: 'INVOICE_NOT_OPEN', details: { from: 'paid' } });
      const cancelled = await as(billing, cancel(await invoice('cancelled'))).expect(422);
      expect(cancelled.body).toMatchObject({ code: 'INVOICE_NOT_OPEN', details: { from: 'cancelled' } });
    });

    it('checks the reason and refuses unknown fields', async () => {
      const invoiceId = await invoice();
      expect(badFieldsOf(await as(billing, cancel(invoiceId, {})).expect(400))).toEqual(['reason']);
      expect(
        badFieldsOf(await as(billing, cancel(invoiceId, { reason: 'x', notify: true })).expect(400)),
      ).toEqual(['notify']);
      expect(await eventsOf(api, invoiceStream(invoiceId))).toHaveLength(1);
    });

    it('answers a retry byte for byte, appending nothing, and a reuse with 422', async () => {
      const invoiceId = await invoice();
      const first = await as(billing, cancel(invoiceId), 'void-1').expect(200);
      expect((await as(billing, cancel(invoiceId), 'void-1').expect(200)).text).toBe(first.text);
      expect(await eventsOf(api, invoiceStream(invoiceId))).toHaveLength(2);
      const reused = await as(billing, cancel(invoiceId, { reason: 'Outro' }), 'void-1').expect(422);
      expect(refusalOf(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });
});

describe('who may send the invoice commands', () => {
  let api: ApiTestApp;
  beforeAll(async () => {
    api = await startApiTestApp();
  });
  afterAll(() => api.close());

  type Expected = Record<CallerKind | 'anonymous', number>;
  const billingStaff: Expected = {
    owner: 403,
    memberWithPermission: 403,
    memberWithoutPermission: 403,
    nonMember: 404,
    support: 403,
    billing: 200,
    admin: 200,
    auditor: 403,
    analyst: 403,
    anonymous: 401,
  };

  const endpoints: readonly {
    name: string;
    call: (contract: TestContract) => Promise<CommandCall>;
    expected: Expected;
  }[] = [
    {
      name: 'POST /invoices/:id/payments',
      call: async (contract) => pay(await givenInvoice(api, contract), payment()),
      expected: billingStaff,
    },
    {
      name: 'POST /invoices/:id/nota-fiscal',
      call: async (contract) => issueNota(await givenInvoice(api, contract, { status: 'paid' })),
      expected: { ...billingStaff, owner: 200, memberWithPermission: 200 },
    },
    {
      name: 'POST /invoices/:id/refund',
      call: async (contract) => refund(await givenInvoice(api, contract, { status: 'paid' })),
      expected: billingStaff,
    },
    {
      name: 'POST /invoices/:id/cancellation',
      call: async (contract) => cancel(await givenInvoice(api, contract)),
      expected: billingStaff,
    },
  ];

  const cases = endpoints.flatMap((endpoint) =>
    [...CALLER_KINDS, 'anonymous' as const].map((kind) => ({
      ...endpoint,
      kind,
      status: endpoint.expected[kind],
    })),
  );

  it.each(cases)('$name answers the $kind $status', async ({ call, kind, status }) => {
    const contract = await givenContract(api, 'billing');
    const token = kind === 'anonymous' ? undefined : contract.tokens[kind];
    const response = await sendCommand(api, await call(contract), token === undefined ? {} : { token });
    expect(response.status).toBe(status);
  });
});

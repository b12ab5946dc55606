import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { invoiceStream } from '@app/domain';
import { PAYMENT_WEBHOOK_SECRET_FILE } from '@app/platform';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { givenInvoice } from '../testing/billing-fixture';
import { badFieldsOf, eventsOf, lastEventOf, refusalOf, sendCommand } from '../testing/command-calls';
import { CALLER_KINDS, givenContract, type TestContract } from '../testing/contract-fixture';
import { paymentWebhookSignature } from './payment-webhook/payment-webhook-signature.guard';

const SECRET = 'the-gateway-and-the-tests-share-this';

type Delivery = Readonly<{ raw: string; signature?: string | readonly string[]; token?: string }>;

const deliver = (api: ApiTestApp, { raw, signature, token }: Delivery) => {
  let call = request(api.server).post('/webhooks/payments').set('Content-Type', 'application/json');
  // superagent sends an array as one header line per value; its types only admit that for Cookie.
  if (signature !== undefined) call = call.set('X-Signature', signature as string);
  if (token !== undefined) call = call.set('Authorization', `Bearer ${token}`);
  return call.send(raw);
};

const paymentOf = (invoiceId: string, overrides: object = {}) => ({
  invoiceId,
  transactionId: `tx-${randomUUID()}`,
  amountCents: 2990,
  method: 'boleto',
  paidAt: '2026-03-01T14:03:00.000Z',
  ...overrides,
});

/** A delivery as the gateway sends one: the body's bytes and their signature. */
const signed = (body: object, secret = SECRET): Delivery => {
  const raw = JSON.stringify(body);
  return { raw, signature: paymentWebhookSignature(secret, raw) };
};

describe('POST /webhooks/payments', () => {
  let api: ApiTestApp;
  let contract: TestContract;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { PAYMENT_WEBHOOK_SECRET: SECRET } });
    contract = await givenContract(api, 'billing');
  });
  afterAll(() => api.close());

  const invoice = (status: 'open' | 'paid' = 'open') => givenInvoice(api, contract, { status });
  const eventCount = async (invoiceId: string) => (await eventsOf(api, invoiceStream(invoiceId))).length;

  it("pays the invoice from a signed delivery, without a bearer token, as the system's payment-webhook rule", async () => {
    const invoiceId = await invoice();
    const body = paymentOf(invoiceId, { method: 'credit_card' });
    const response = await deliver(api, signed(body)).expect(200);
    const answer = response.body as { id: string; position: string };
    expect(Object.keys(answer).sort()).toEqual(['id', 'position']);
    expect(answer.id).toBe(invoiceId);
    expect(answer.position).toMatch(/^[0-9a-f]{16}-[0-9a-f]{16}$/);
    expect(await lastEventOf(api, invoiceStream(invoiceId))).toMatchObject({
      type: 'InvoicePaid',
      data: { transactionId: body.transactionId, amountCents: 2990, method: 'credit_card' },
      metadata: {
        actor: { kind: 'system', rule: 'payment-webhook' },
        commandId: `payment-webhook:${body.transactionId}`,
      },
    });
  });

  it('checks the signature on the bytes received, whatever their spacing or key order', async () => {
    const invoiceId = await invoice();
    const body = paymentOf(invoiceId);
    const raw = `{ "paidAt": "${body.paidAt}",\n  "amountCents": 2990, "method": "boleto",\n  "transactionId": "${body.transactionId}", "invoiceId": "${invoiceId}" }`;
    await deliver(api, { raw, signature: paymentWebhookSignature(SECRET, raw).toUpperCase() }).expect(200);
    expect((await lastEventOf(api, invoiceStream(invoiceId))).type).toBe('InvoicePaid');
  });

  it.each([
    ['no signature', (raw: string) => ({ raw })],
    [
      'a signature made with another secret',
      (raw: string) => signed(JSON.parse(raw) as object, 'not-the-shared-secret-at-all'),
    ],
    ['a signature that is not hex', (raw: string) => ({ raw, signature: 'z'.repeat(64) })],
    [
      'a prefixed signature',
      (raw: string) => ({ raw, signature: `sha256=${paymentWebhookSignature(SECRET, raw)}` }),
    ],
    [
      'a truncated signature',
      (raw: string) => ({ raw, signature: paymentWebhookSignature(SECRET, raw).slice(0, 63) }),
    ],
    ['an empty signature', (raw: string) => ({ raw, signature: '' })],
    [
      'the signature sent twice',
      (raw: string) => ({
        raw,
        signature: [paymentWebhookSignature(SECRET, raw), paymentWebhookSignature(SECRET, raw)],
      }),
    ],
  ] as const)('refuses %s with 401, changing nothing', async (_case, delivery) => {
    const invoiceId = await invoice();
    const response = await deliver(api, delivery(JSON.stringify(paymentOf(invoiceId)))).expect(401);
    expect(refusalOf(response).code).toBe('UNAUTHENTICATED');
    expect(response.headers['www-authenticate']).toMatch(/^Signature /);
    expect(await eventCount(invoiceId)).toBe(1);
  });

  it('refuses a tampered body that carries the signature of the original, changing nothing', async () => {
    const invoiceId = await invoice();
    const original = signed(paymentOf(invoiceId, { amountCents: 1 }));
    const tampered = original.raw.replace('"amountCents":1', '"amountCents":2990');
    expect(tampered).not.toBe(original.raw);
    await deliver(api, { raw: tampered, signature: original.signature }).expect(401);
    expect(await eventCount(invoiceId)).toBe(1);
  });

  it('does not take a bearer token, even staff, for a signature', async () => {
    const invoiceId = await invoice();
    const { raw } = signed(paymentOf(invoiceId));
    await deliver(api, { raw, token: contract.tokens.billing }).expect(401);
    expect(await eventCount(invoiceId)).toBe(1);
  });

  it('checks the signature before the body, so an unsigned caller learns nothing about it', async () => {
    await deliver(api, { raw: JSON.stringify({ invoiceId: 7 }) }).expect(401);
    await deliver(api, {
      raw: '{"invoiceId":',
      signature: paymentWebhookSignature(SECRET, '{"invoiceId":'),
    }).expect(400);
  });

  it('lists each bad field of a signed delivery, and refuses unknown ones', async () => {
    const bad = await deliver(
      api,
      signed({ invoiceId: 'a.b', transactionId: '', amountCents: 29.9, method: 'pix', paidAt: 1 }),
    ).expect(400);
    expect(badFieldsOf(bad)).toEqual(['amountCents', 'invoiceId', 'method', 'paidAt', 'transactionId']);
    const invoiceId = await invoice();
    const unknown = await deliver(
      api,
      signed({ ...paymentOf(invoiceId), cardNumber: '4111111111111111' }),
    ).expect(400);
    expect(badFieldsOf(unknown)).toEqual(['cardNumber']);
    expect(unknown.text).not.toContain('4111111111111111');
    expect(await eventCount(invoiceId)).toBe(1);
  });

  it("answers the gateway's retries of a delivery with the first answer, appending nothing, even after a refund", async () => {
    const invoiceId = await invoice();
    const delivery = signed(paymentOf(invoiceId));
    const first = await deliver(api, delivery).expect(200);
    expect((await deliver(api, delivery).expect(200)).text).toBe(first.text);
    expect(await eventCount(invoiceId)).toBe(2);
    await sendCommand(
      api,
      { method: 'post', path: `/invoices/${invoiceId}/refund`, body: { reason: 'Estorno' } },
      { token: contract.tokens.billing },
    ).expect(200);
    expect((await deliver(api, delivery).expect(200)).text).toBe(first.text);
    expect(await eventCount(invoiceId)).toBe(3);
  });

  it('takes the same transaction sent again in other bytes for the same delivery', async () => {
    const invoiceId = await invoice();
    const body = paymentOf(invoiceId);
    const first = await deliver(api, signed(body)).expect(200);
    const { invoiceId: id, ...rest } = body;
    const reordered = await deliver(api, signed({ ...rest, invoiceId: id })).expect(200);
    expect(reordered.text).toBe(first.text);
    expect(await eventCount(invoiceId)).toBe(2);
  });

  it('refuses the same transaction id delivered with other data', async () => {
    const invoiceId = await invoice();
    const body = paymentOf(invoiceId);
    await deliver(api, signed(body)).expect(200);
    const other = await deliver(api, signed({ ...body, method: 'direct_debit' })).expect(422);
    expect(refusalOf(other).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await eventCount(invoiceId)).toBe(2);
  });

  it('applies a transaction staff recorded already at most once', async () => {
    const invoiceId = await invoice();
    const body = paymentOf(invoiceId);
    const { invoiceId: _id, ...payment } = body;
    await sendCommand(
      api,
      { method: 'post', path: `/invoices/${invoiceId}/payments`, body: payment },
      { token: contract.tokens.billing },
    ).expect(200);
    await deliver(api, signed(body)).expect(200);
    expect(await eventCount(invoiceId)).toBe(2);
  });

  it('refuses an amount other than the open one, and a second transaction on a paid invoice', async () => {
    const open = await invoice();
    const mismatch = await deliver(api, signed(paymentOf(open, { amountCents: 3000 }))).expect(422);
    expect(mismatch.body).toMatchObject({
      code: 'PAYMENT_AMOUNT_MISMATCH',
      details: { expectedCents: 2990, receivedCents: 3000 },
    });
    const paid = await invoice('paid');
    const notOpen = await deliver(api, signed(paymentOf(paid))).expect(422);
    expect(notOpen.body).toMatchObject({ code: 'INVOICE_NOT_OPEN', details: { from: 'paid' } });
    expect(await eventCount(open)).toBe(1);
    expect(await eventCount(paid)).toBe(2);
  });

  it('answers a delivery for an invoice that does not exist with 404', async () => {
    const response = await deliver(api, signed(paymentOf('no-such-invoice'))).expect(404);
    expect(refusalOf(response).code).toBe('NOT_FOUND');
  });

  describe('whoever calls, the signature decides', () => {
    const kinds = [...CALLER_KINDS, 'anonymous' as const];
    it.each(kinds)('answers the %s 200 with a signature and 401 without', async (kind) => {
      const token = kind === 'anonymous' ? undefined : contract.tokens[kind];
      const invoiceId = await invoice();
      const delivery = signed(paymentOf(invoiceId));
      await deliver(api, { raw: delivery.raw, ...(token === undefined ? {} : { token }) }).expect(401);
      await deliver(api, { ...delivery, ...(token === undefined ? {} : { token }) }).expect(200);
    });
  });
});

describe('the payment webhook without PAYMENT_WEBHOOK_SECRET', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'webhook-e2e-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('in embedded mode, signs with a secret generated into DATA_DIR on the first delivery', async () => {
    const api = await startApiTestApp({ env: { DATA_DIR: dataDir } });
    try {
      const path = join(dataDir, PAYMENT_WEBHOOK_SECRET_FILE);
      expect(existsSync(path)).toBe(false);
      const contract = await givenContract(api, 'billing');
      const invoiceId = await givenInvoice(api, contract);
      const body = paymentOf(invoiceId);
      await deliver(api, signed(body)).expect(401);
      const secret = readFileSync(path, 'utf8').trim();
      await deliver(api, signed(body, secret)).expect(200);
    } finally {
      await api.close();
    }
  });

  it('with a Postgres server, refuses every delivery with 503 until one is configured', async () => {
    const api = await startApiTestApp({
      env: { DATA_DIR: dataDir, DATABASE_URL: 'postgres://unused@127.0.0.1:1/the-test-opens-its-own' },
    });
    try {
      const contract = await givenContract(api, 'billing');
      const invoiceId = await givenInvoice(api, contract);
      const response = await deliver(api, signed(paymentOf(invoiceId))).expect(503);
      expect(refusalOf(response).code).toBe('PAYMENT_WEBHOOK_NOT_CONFIGURED');
      expect(await eventsOf(api, invoiceStream(invoiceId))).toHaveLength(1);
      expect(existsSync(join(dataDir, PAYMENT_WEBHOOK_SECRET_FILE))).toBe(false);
    } finally {
      await api.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { invoiceStream } from '@app/domain';
import { startApiTestApp, type ApiTestApp } from '../../testing/api-test-app';
import { givenInvoice } from '../../testing/billing-fixture';
import { badFieldsOf, sendCommand } from '../../testing/command-calls';
import { givenContract, type TestContract } from '../../testing/contract-fixture';
import {
  positionAfter,
  PERMISSION_HOLDERS_AND_STAFF,
  readEveryPage,
  sendQuery,
  statusByCaller,
  untilReadModelReaches,
  type Page,
} from '../../testing/query-calls';

type Answer = { id: string; position: string };
type Invoice = {
  invoiceId: string;
  status: string;
  totalCents: number;
  dueDate: string;
  lines: { serviceId: string; amountCents: number }[];
  notaFiscal: { number: number; status: string } | null;
};

const payment = (amountCents: number) => ({
  transactionId: `tx-${randomUUID()}`,
  amountCents,
  method: 'boleto',
  paidAt: new Date().toISOString(),
});

/**
 * Issues `count` invoices, twenty at a time (the write path takes them concurrently), the last one alone after
 * the others, so that its position is one a query can wait for to see them all.
 */
const givenInvoices = async (
  api: ApiTestApp,
  contract: TestContract,
  count: number,
): Promise<{ ids: string[]; position: string }> => {
  const ids: string[] = [];
  const atOnce = 20;
  while (ids.length < count - 1) {
    const batch = Math.min(atOnce, count - 1 - ids.length);
    ids.push(...(await Promise.all(Array.from({ length: batch }, () => givenInvoice(api, contract)))));
  }
  const last = await givenInvoice(api, contract);
  ids.push(last);
  return { ids, position: await positionAfter(api, invoiceStream(last)) };
};

describe('invoice and nota fiscal queries over HTTP, with the worker running', () => {
  let api: ApiTestApp;
  let contract: TestContract;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { RUN_WORKER: 'true' } });
    contract = await givenContract(api, 'billing');
  });
  afterAll(() => api.close());

  const invoicesPath = () => `/contracts/${contract.contractId}/invoices`;
  const notasPath = (status: string) => `/contracts/${contract.contractId}/notas-fiscais?status=${status}`;
  const read = async (path: string, minPosition: string) =>
    (await sendQuery(api, path, { token: contract.tokens.memberWithPermission, minPosition }).expect(200))
      .body as Page<Invoice>;

  it('reads its own writes every time: a payment, then a nota fiscal, show at once', async () => {
    for (let round = 0; round < 5; round++) {
      const invoiceId = await givenInvoice(api, contract, { totalCents: 1000 + round });
      const paid = (
        await sendCommand(
          api,
          { method: 'post', path: `/invoices/${invoiceId}/payments`, body: payment(1000 + round) },
          { token: contract.tokens.billing },
        ).expect(200)
      ).body as Answer;
      const [newest] = (await read(invoicesPath(), paid.position)).items;
      expect(newest).toMatchObject({ invoiceId, status: 'paid', totalCents: 1000 + round, notaFiscal: null });
      expect(newest?.lines).toEqual([expect.objectContaining({ amountCents: 1000 + round })]);
      expect((await read(notasPath('pending'), paid.position)).items[0]?.invoiceId).toBe(invoiceId);

      const issued = (
        await sendCommand(
          api,
          { method: 'post', path: `/invoices/${invoiceId}/nota-fiscal` },
          { token: contract.tokens.owner },
        ).expect(200)
      ).body as Answer;
      const [nota] = (await read(notasPath('issued'), issued.position)).items;
      expect(nota?.invoiceId).toBe(invoiceId);
      expect(nota?.notaFiscal?.status).toBe('issued');
      expect(Number.isInteger(nota?.notaFiscal?.number)).toBe(true);
      const pending = (await read(notasPath('pending'), issued.position)).items;
      expect(pending.map((item) => item.invoiceId)).not.toContain(invoiceId);
    }
  });

  it('lets members with `billing` and staff read, refuses other members, hides the contract from strangers', async () => {
    expect(await statusByCaller(api, contract, invoicesPath())).toEqual(PERMISSION_HOLDERS_AND_STAFF);
    expect(await statusByCaller(api, contract, notasPath('pending'))).toEqual(PERMISSION_HOLDERS_AND_STAFF);
    const token = contract.tokens.nonMember;
    const hidden = await sendQuery(api, invoicesPath(), { token }).expect(404);
    const missing = await sendQuery(api, '/contracts/no-such-contract/invoices', { token }).expect(404);
    expect(hidden.body).toEqual(missing.body);
  });

  it('refuses a nota fiscal status other than pending or issued, naming it beside any other bad field', async () => {
    const token = contract.tokens.owner;
    const base = `/contracts/${contract.contractId}/notas-fiscais`;
    for (const query of ['', '?status=cancelled', '?status=PENDING', '?status=pending&status=issued']) {
      const refused = await sendQuery(api, `${base}${query}`, { token }).expect(400);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(badFieldsOf(refused)).toEqual(['status']);
    }
    expect(badFieldsOf(await sendQuery(api, `${base}?status=paid&limit=0`, { token }).expect(400))).toEqual([
      'limit',
      'status',
    ]);
  });

  it('pages 1,100 invoices newest first, each once, at the largest page and at one that divides them', async () => {
    const many = await givenContract(api, 'billing');
    const token = many.tokens.owner;
    const path = `/contracts/${many.contractId}/invoices`;
    const created = await givenInvoices(api, many, 1_100);
    await untilReadModelReaches(api, path, { token, minPosition: created.position });

    const largest = await readEveryPage<Invoice>(api, path, { token, limit: 500 });
    expect(largest.pages.map((page) => page.items.length)).toEqual([500, 500, 100]);
    expect(new Set(largest.items.map((invoice) => invoice.invoiceId))).toEqual(new Set(created.ids));

    const hundreds = await readEveryPage<Invoice>(api, path, { token, limit: 100 });
    expect(hundreds.pages).toHaveLength(11);
    expect(hundreds.pages.at(-1)?.nextCursor).toBeNull();
    expect(hundreds.items.map((invoice) => invoice.invoiceId)).toEqual(
      largest.items.map((invoice) => invoice.invoiceId),
    );

    const first = (await sendQuery(api, `${path}?limit=500`, { token }).expect(200)).body as Page<Invoice>;
    const issuedMeanwhile = await givenInvoices(api, many, 3);
    const rest = await readEveryPage<Invoice>(api, path, {
      cursor: first.nextCursor,
      token,
      limit: 500,
      minPosition: issuedMeanwhile.position,
    });
    expect(rest.items.map((invoice) => invoice.invoiceId)).toEqual(
      largest.items.slice(500).map((invoice) => invoice.invoiceId),
    );
    const fromTheTop = (await sendQuery(api, `${path}?limit=3`, { token }).expect(200)).body as Page<Invoice>;
    expect(new Set(fromTheTop.items.map((invoice) => invoice.invoiceId))).toEqual(
      new Set(issuedMeanwhile.ids),
    );
  });
});

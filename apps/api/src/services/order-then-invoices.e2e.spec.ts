import { Client } from 'pg';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { sendCommand } from '../testing/command-calls';
import { givenContract, type TestContract } from '../testing/contract-fixture';
import { sendQuery } from '../testing/query-calls';

type Answer = { id: string; position: string };
type Invoice = { invoiceId: string; status: string; totalCents: number; lines: { serviceId: string }[] };

/** The portal's first minutes with a new service: order it, then list the invoices, with nothing in between. */
describe('an order, then the invoices, with the worker and its reactors running', () => {
  let api: ApiTestApp;
  let contract: TestContract;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { RUN_WORKER: 'true' } });
    // `orders` ordering, `billing` reading: the owner holds both.
    contract = await givenContract(api, 'orders');
  });
  afterAll(() => api.close());

  const order = async (priceCents: number, billingCycle: string): Promise<Answer> => {
    const response = await sendCommand(
      api,
      {
        method: 'post',
        path: `/contracts/${contract.contractId}/services`,
        body: { kind: 'shared_hosting', plan: 'Plano Inicial', billingCycle, priceCents },
      },
      { token: contract.tokens.owner },
    ).expect(201);
    return response.body as Answer;
  };

  it('shows the first invoice at once when the query waits for the order position, every time', async () => {
    const cycles = [
      ['monthly', 1],
      ['quarterly', 3],
      ['semiannual', 6],
      ['annual', 12],
    ] as const;
    for (let round = 0; round < 8; round++) {
      const [billingCycle, months] = cycles[round % cycles.length]!;
      const priceCents = 1_000 + round;
      const ordered = await order(priceCents, billingCycle);
      const listed = await sendQuery(api, `/contracts/${contract.contractId}/invoices?limit=500`, {
        token: contract.tokens.owner,
        minPosition: ordered.position,
      }).expect(200);
      const invoices = (listed.body as { items: Invoice[] }).items.filter((invoice) =>
        invoice.lines.some((line) => line.serviceId === ordered.id),
      );
      expect(invoices).toEqual([
        expect.objectContaining({ status: 'open', totalCents: priceCents * months }),
      ]);
    }
  });

  // Only a server has other transactions: one begun between the order and the invoice the reactor appends holds
  // the readable head behind the invoice, and the read model passes the order's position without it.
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl)
    it('never answers 200 without the first invoice while another transaction holds the log back', async () => {
      for (let round = 0; round < 3; round++) {
        const priceCents = 2_000 + round;
        const ordered = await order(priceCents, 'monthly');
        const bystander = new Client({ connectionString: serverUrl });
        await bystander.connect();
        try {
          await bystander.query('begin');
          await bystander.query('select pg_current_xact_id()');
          const listed = await sendQuery(api, `/contracts/${contract.contractId}/invoices?limit=500`, {
            token: contract.tokens.owner,
            minPosition: ordered.position,
          });
          if (listed.status === 200) {
            const invoices = (listed.body as { items: Invoice[] }).items.filter((invoice) =>
              invoice.lines.some((line) => line.serviceId === ordered.id),
            );
            expect(invoices).toEqual([expect.objectContaining({ status: 'open', totalCents: priceCents })]);
          } else {
            expect(listed.body).toMatchObject({ code: 'STALE_READ_MODEL' });
          }
        } finally {
          await bystander.query('rollback');
          await bystander.end();
        }
        const after = await sendQuery(api, `/contracts/${contract.contractId}/invoices?limit=500`, {
          token: contract.tokens.owner,
          minPosition: ordered.position,
        }).expect(200);
        expect(
          (after.body as { items: Invoice[] }).items.filter((invoice) =>
            invoice.lines.some((line) => line.serviceId === ordered.id),
          ),
        ).toHaveLength(1);
      }
    }, 60_000);
});

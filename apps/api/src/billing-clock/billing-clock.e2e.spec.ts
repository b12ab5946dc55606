import request from 'supertest';
import { addDays, invoiceStream, localDate, periodInvoiceId } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE } from '@app/platform';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { givenInstance, givenService } from '../testing/billing-fixture';
import { givenContract } from '../testing/contract-fixture';

type Report = { at: string; day: string; counts: Record<string, number> };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the billing clock over HTTP, and the reactors in the embedded worker', () => {
  let api: ApiTestApp;
  let admin: string;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { RUN_WORKER: 'true' } });
    admin = await api.tokenFor({ userId: 'u-admin', email: 'admin@provedor.com.br', roles: ['admin'] });
  });
  afterAll(() => api.close());

  const run = (body: object, token = admin) =>
    request(api.server).post('/admin/billing-clock/runs').set('Authorization', `Bearer ${token}`).send(body);

  it('runs as of the instant given and answers its counts per rule; running it again changes nothing', async () => {
    const first = await run({ at: '2026-12-01T03:00:00.000Z' }).expect(200);
    const report = first.body as Report;
    expect(report).toMatchObject({ at: '2026-12-01T03:00:00.000Z', day: '2026-12-01' });
    expect(Object.keys(report.counts).sort()).toEqual(
      [
        'close-idle-tickets',
        'complete-scheduled-cancellation',
        'expire-invitations',
        'issue-invoices',
        'issue-notas-fiscais',
        'mark-overdue',
        'suspend-unpaid',
        'terminate-after-retention',
      ].sort(),
    );
    const again = await run({ at: '2026-12-01T03:00:00.000Z' }).expect(200);
    expect(Object.values((again.body as Report).counts).every((n) => n === 0)).toBe(true);
  });

  it('runs as of now without `at`', async () => {
    const report = (await run({}).expect(200)).body as Report;
    expect(Date.now() - Date.parse(report.at)).toBeGreaterThanOrEqual(0);
  });

  it('is for admins only, and refuses an instant that is not one', async () => {
    const support = await api.tokenFor({ userId: 'u-sup', email: 'sup@provedor.com.br', roles: ['support'] });
    await run({}, await api.tokenFor()).expect(403);
    await run({}, support).expect(403);
    await run({ at: 'amanhã' }).expect(400);
    await run({ at: '2026-12-01T03:00:00.000Z', extra: 1 }).expect(400);
  });

  it('issues the first invoice of a new order by itself, due the day of the order', async () => {
    const contract = await givenContract(api, 'orders');
    const serviceId = await givenService(api, contract);
    const store = api.app.get<EventStore>(EVENT_STORE);
    const stream = invoiceStream(periodInvoiceId(serviceId, localDate(new Date().toISOString())));
    for (let attempt = 0; attempt < 200 && (await store.readStream(stream)).length === 0; attempt++) {
      await pause(50);
    }
    const [issued] = await store.readStream(stream);
    expect(issued).toMatchObject({
      type: 'InvoiceIssued',
      data: { contractId: contract.contractId, totalCents: 2990, lines: [{ serviceId, amountCents: 2990 }] },
      metadata: { actor: { kind: 'system', rule: 'issue-first-invoice' } },
    });
  });

  it('leaves a staff suspension in place when the invoice is paid, and moves the due date', async () => {
    const contract = await givenContract(api, 'orders');
    const serviceId = await givenService(api, contract);
    const store = api.app.get<EventStore>(EVENT_STORE);
    const billing = contract.tokens.billing;
    const admin = contract.tokens.admin;
    const firstInvoice = periodInvoiceId(serviceId, localDate(new Date().toISOString()));
    for (
      let attempt = 0;
      attempt < 200 && (await store.readStream(invoiceStream(firstInvoice))).length === 0;
      attempt++
    ) {
      await pause(50);
    }
    const pay = async (invoiceId: string) =>
      (
        await request(api.server)
          .post(`/invoices/${invoiceId}/payments`)
          .set('Authorization', `Bearer ${billing}`)
          .send({
            transactionId: `tx-${invoiceId}`,
            amountCents: 2990,
            method: 'boleto',
            paidAt: new Date().toISOString(),
          })
          .expect(200)
      ).body as { position: string };
    const service = async (position: string) =>
      (
        await request(api.server)
          .get(`/services/${serviceId}`)
          .set('Authorization', `Bearer ${billing}`)
          .set('X-Min-Position', position)
          .expect(200)
      ).body as { status: string; nextDueDate: string; suspensionReason: string | null };
    await request(api.server)
      .post(`/services/${serviceId}/provisioning`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ instanceId: await givenInstance(api) })
      .expect(200);
    const active = await service((await pay(firstInvoice)).position);
    expect(active.status).toBe('active');

    // The clock issues the next period's invoice ten days ahead; staff suspend; the invoice is paid.
    await run({ at: `${addDays(active.nextDueDate, -10)}T15:00:00.000Z` }).expect(200);
    const nextInvoice = periodInvoiceId(serviceId, active.nextDueDate);
    await request(api.server)
      .post(`/services/${serviceId}/suspension`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ reason: 'abuse', note: 'Spam' })
      .expect(200);
    const after = await service((await pay(nextInvoice)).position);
    expect(after).toMatchObject({ status: 'suspended', suspensionReason: 'abuse' });
    expect(after.nextDueDate > active.nextDueDate).toBe(true);
    expect((await store.readStream(`service-${serviceId}`)).map((event) => event.type)).not.toContain(
      'ServiceReactivated',
    );
  });
});

import request from 'supertest';
import { fixedClock, handleCommand, type WritePath } from '@app/command-handling';
import {
  contractDecider,
  contractStream,
  invoiceDecider,
  invoiceStream,
  serviceDecider,
  serviceStream,
  type Actor,
  type Command,
  type Decider,
  type Message,
} from '@app/domain';
import { WRITE_PATH, type Role } from '@app/platform';
import type { UnsentCommand } from '../commands/command-sender';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';

type Page<Item> = { items: Item[]; nextCursor: string | null };
type Interval = { status: string; from: string; to: string | null; reason: string | null };

const OWNER: Actor = { kind: 'user', userId: 'an-owner', email: 'dona@padaria.com.br', roles: ['customer'] };
const ADMIN: Actor = { kind: 'user', userId: 'an-admin', email: 'admin@provedor.com.br', roles: ['admin'] };
const GATEWAY: Actor = { kind: 'system', rule: 'payment-gateway' };
const SYSTEM = (rule: string): Actor => ({ kind: 'system', rule });
const NOW = '2028-04-15T12:00:00.000Z';
const DAY = 86_400;

const CONTRACT = 'an-contract';
const SHARED = 'an-shared'; // ordered on a month end, suspended across the leap day, paid at Sao Paulo midnight
const CLOUD = 'an-cloud'; // ordered a second before Sao Paulo midnight, never paid
const RESELLER = 'an-reseller'; // cancelled with a reason a CSV must quote
const REASON = 'Mudou de provedor, "mais barato"\nem março';

describe('analytics endpoints over HTTP (role analyst), on a history with calendar edges', () => {
  let api: ApiTestApp;
  let lastPosition = '';
  const tokens: Partial<Record<string, string>> = {};

  const send = async <C extends Command, E extends Message, S>(
    decider: Decider<C, E, S>,
    stream: string,
    command: UnsentCommand<C>,
    actor: Actor,
    at: string,
    commandId: string,
  ): Promise<void> => {
    const result = await handleCommand(api.app.get<WritePath>(WRITE_PATH), decider, stream, {
      command: { ...command, metadata: { now: at, actor } } as C,
      commandId,
    });
    if (result.position !== undefined) lastPosition = result.position;
  };
  const toService = (
    id: string,
    command: UnsentCommand<Parameters<typeof serviceDecider.decide>[0]>,
    actor: Actor,
    at: string,
  ) => send(serviceDecider, serviceStream(id), command, actor, at, `${id}:${command.type}:${at}`);
  const toInvoice = (
    id: string,
    command: UnsentCommand<Parameters<typeof invoiceDecider.decide>[0]>,
    actor: Actor,
    at: string,
  ) => send(invoiceDecider, invoiceStream(id), command, actor, at, `${id}:${command.type}:${at}`);
  const order = (serviceId: string, kind: string, priceCents: number, at: string) =>
    toService(
      serviceId,
      {
        type: 'OrderService',
        data: {
          serviceId,
          contractId: CONTRACT,
          kind: kind as 'shared_hosting',
          plan: 'Plano',
          billingCycle: 'monthly',
          priceCents,
        },
      },
      OWNER,
      at,
    );
  const issue = (invoiceId: string, serviceId: string, dueDate: string, totalCents: number, at: string) =>
    toInvoice(
      invoiceId,
      {
        type: 'IssueInvoice',
        data: {
          invoiceId,
          contractId: CONTRACT,
          dueDate,
          lines: [
            {
              serviceId,
              description: 'Plano',
              periodStart: dueDate,
              periodEnd: dueDate,
              amountCents: totalCents,
            },
          ],
        },
      },
      SYSTEM('issue-invoices'),
      at,
    );
  const pay = async (invoiceId: string, serviceId: string, amountCents: number, at: string) => {
    await toInvoice(
      invoiceId,
      {
        type: 'RecordPayment',
        data: { transactionId: `tx-${invoiceId}`, amountCents, method: 'boleto', paidAt: at },
      },
      GATEWAY,
      at,
    );
    await toService(
      serviceId,
      { type: 'RecordInvoicePaid', data: { invoiceId, paidAt: at } },
      SYSTEM('service-follows-payment'),
      at,
    );
  };

  beforeAll(async () => {
    api = await startApiTestApp({
      // The history is written by hand, rule by rule: no reactor or billing clock may add to it.
      env: { RUN_WORKER: 'true', RUN_AUTOMATION: 'false' },
      clock: fixedClock(NOW),
    });
    for (const roles of [
      ['analyst'],
      ['analyst', 'auditor'],
      ['customer'],
      ['support'],
      ['billing'],
      ['admin'],
      ['auditor'],
    ] as Role[][]) {
      tokens[roles.join('+')] = await api.tokenFor({
        userId: `an-${roles.join('-')}`,
        email: 'x@provedor.com.br',
        roles,
      });
    }
    await send(
      contractDecider,
      contractStream(CONTRACT),
      {
        type: 'OpenContract',
        data: {
          contractId: CONTRACT,
          holderName: 'Padaria Silva',
          document: '52998224725',
          phones: ['+5511987654321'],
        },
      },
      OWNER,
      '2028-01-31T14:00:00.000Z',
      'an-open',
    );
    await order(SHARED, 'shared_hosting', 2990, '2028-01-31T15:00:00.000Z');
    await issue('an-inv-1', SHARED, '2028-01-31', 2990, '2028-01-31T15:00:01.000Z');
    await toService(
      SHARED,
      { type: 'ProvisionService', data: { instanceId: 'an-srv' } },
      ADMIN,
      '2028-01-31T16:00:00.000Z',
    );
    await pay('an-inv-1', SHARED, 2990, '2028-01-31T17:00:00.000Z');
    await issue('an-inv-2', SHARED, '2028-02-29', 2990, '2028-02-19T09:00:00.000Z');
    await order(CLOUD, 'cloud_server', 8990, '2028-02-29T02:59:59.000Z');
    await issue('an-inv-cloud', CLOUD, '2028-02-28', 8990, '2028-02-29T02:59:59.500Z');
    await toInvoice(
      'an-inv-2',
      { type: 'MarkInvoiceOverdue', data: {} },
      SYSTEM('mark-overdue'),
      '2028-03-01T03:00:00.000Z',
    );
    await toService(
      SHARED,
      {
        type: 'SuspendService',
        data: { reason: 'non_payment', invoiceId: 'an-inv-2', invoiceDueDate: '2028-02-29' },
      },
      SYSTEM('suspend-unpaid'),
      '2028-03-10T03:00:00.000Z',
    );
    await order(RESELLER, 'reseller_hosting', 9990, '2028-03-01T03:00:00.000Z');
    await toService(
      RESELLER,
      { type: 'ProvisionService', data: { instanceId: 'an-srv' } },
      ADMIN,
      '2028-03-01T04:00:00.000Z',
    );
    await toService(
      RESELLER,
      { type: 'RecordInvoicePaid', data: { invoiceId: 'an-inv-r', paidAt: '2028-03-01T05:00:00.000Z' } },
      SYSTEM('service-follows-payment'),
      '2028-03-01T05:00:00.000Z',
    );
    await toService(
      RESELLER,
      { type: 'CancelService', data: { when: 'immediate', reason: REASON, protocolNumber: 'P-1' } },
      OWNER,
      '2028-03-31T23:59:59.999Z',
    );
    await pay('an-inv-2', SHARED, 2990, '2028-04-01T02:30:00.000Z');
    await toService(
      SHARED,
      { type: 'ReactivateService', data: { by: 'payment', noOverdueInvoiceRemains: true } },
      SYSTEM('reactivate-on-payment'),
      '2028-04-01T02:30:00.000Z',
    );
  });
  afterAll(() => api.close());

  const get = (path: string, token = tokens.analyst, accept?: string) => {
    let call = request(api.server).get(path).set('X-Min-Position', lastPosition);
    if (token !== undefined) call = call.set('Authorization', `Bearer ${token}`);
    return accept ? call.set('Accept', accept) : call;
  };

  const ENDPOINTS = [
    `/analytics/services/${SHARED}/timeline`,
    '/analytics/status-durations?from=2028-02-01&to=2028-05-01',
    '/analytics/suspensions?from=2028-03-01&to=2028-05-01&groupBy=month',
    '/analytics/invoice-aging',
  ];

  it.each(ENDPOINTS)('lets only analysts read %s', async (path) => {
    await get(path).expect(200);
    await get(path, tokens['analyst+auditor']).expect(200);
    for (const role of ['customer', 'support', 'billing', 'admin', 'auditor']) {
      const { body } = (await get(path, tokens[role]).expect(403)) as { body: unknown };
      expect(body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    }
    await request(api.server).get(path).expect(401);
  });

  it("gives a service's timeline, the current interval open, a page at a time", async () => {
    const page1 = (await get(`/analytics/services/${SHARED}/timeline?limit=2`).expect(200))
      .body as Page<Interval>;
    expect(page1.items).toEqual([
      { status: 'pending', from: '2028-01-31T15:00:00.000Z', to: '2028-01-31T17:00:00.000Z', reason: null },
      { status: 'active', from: '2028-01-31T17:00:00.000Z', to: '2028-03-10T03:00:00.000Z', reason: null },
    ]);
    const page2 = (
      await get(`/analytics/services/${SHARED}/timeline?limit=2&cursor=${page1.nextCursor}`).expect(200)
    ).body as Page<Interval>;
    expect(page2).toEqual({
      items: [
        {
          status: 'suspended',
          from: '2028-03-10T03:00:00.000Z',
          to: '2028-04-01T02:30:00.000Z',
          reason: 'non_payment',
        },
        { status: 'active', from: '2028-04-01T02:30:00.000Z', to: null, reason: 'payment' },
      ],
      nextCursor: null,
    });
    await get('/analytics/services/no-such-service/timeline').expect(404);
  });

  it('sums the time in each status inside the window, open intervals up to now', async () => {
    const { body } = (await get(
      '/analytics/status-durations?from=2028-02-01&to=2028-05-01&kind=shared_hosting',
    ).expect(200)) as { body: { items: unknown[] } };
    // The window opens at Sao Paulo midnight of Feb 1st (03:00 UTC) and counts up to now, before its end.
    expect(body).toMatchObject({
      from: '2028-02-01T03:00:00.000Z',
      to: '2028-05-01T03:00:00.000Z',
      until: NOW,
    });
    expect(body.items).toEqual([
      // Feb 1st to Mar 10th of a leap year: 38 days, then from the payment to now.
      { kind: 'shared_hosting', status: 'active', seconds: 38 * DAY + (14 * DAY + 9.5 * 3600), services: 1 },
      { kind: 'shared_hosting', status: 'suspended', seconds: 22 * DAY - 1800, services: 1 },
    ]);
    const all = (
      await get('/analytics/status-durations?from=2028-03-31T23:00:00Z&to=2028-04-01T00:00:00Z').expect(200)
    ).body as {
      items: { kind: string; status: string; seconds: number }[];
    };
    // The reseller service was cancelled a millisecond before the end of March in UTC.
    expect(all.items).toEqual(
      expect.arrayContaining([
        { kind: 'reseller_hosting', status: 'active', seconds: 3599.999, services: 1 },
        { kind: 'reseller_hosting', status: 'cancelled', seconds: 0.001, services: 1 },
        { kind: 'cloud_server', status: 'pending', seconds: 3600, services: 1 },
      ]),
    );
    const future = (await get('/analytics/status-durations?from=2028-05-01&to=2028-06-01').expect(200))
      .body as {
      items: unknown[];
    };
    expect(future.items).toEqual([]);
  });

  it('counts suspensions and reactivations per Sao Paulo day and month, with overdue and payment times', async () => {
    const months = (
      await get('/analytics/suspensions?from=2028-03-01&to=2028-05-01&groupBy=month').expect(200)
    ).body as { items: unknown[] };
    expect(months.items).toEqual([
      {
        period: '2028-03',
        kind: 'shared_hosting',
        suspensions: 1,
        nonPaymentSuspensions: 1,
        reactivations: 1,
        avgOverdueToSuspensionSeconds: 9 * DAY,
        avgSuspensionToPaymentSeconds: 22 * DAY - 1800,
        paidAfterSuspension: 1,
      },
    ]);
    const days = (await get('/analytics/suspensions?from=2028-03-01&to=2028-05-01').expect(200)).body as {
      items: { period: string; suspensions: number; reactivations: number }[];
    };
    // Paid at 02:30 UTC on April 1st: still March 31st in Sao Paulo.
    expect(
      days.items.map(({ period, suspensions, reactivations }) => [period, suspensions, reactivations]),
    ).toEqual([
      ['2028-03-10', 1, 0],
      ['2028-03-31', 0, 1],
    ]);
  });

  it('ages open invoices by Sao Paulo days past due, now or at an instant', async () => {
    type AgingBody = { at: string; items: { bucket: string; invoices: number; amountCents: number }[] };
    const bucket = (body: AgingBody) =>
      Object.fromEntries(body.items.map((item) => [item.bucket, [item.invoices, item.amountCents]]));
    const now = (await get('/analytics/invoice-aging').expect(200)).body as AgingBody;
    expect(now.at).toBe(NOW);
    expect(bucket(now)).toEqual({
      '0': [0, 0],
      '1-3': [0, 0],
      '4-10': [0, 0],
      '11-30': [0, 0],
      '31+': [1, 8990],
    });
    // A millisecond before Sao Paulo midnight of March 1st it is still February 29th there.
    const leapDay = (await get('/analytics/invoice-aging?at=2028-03-01T02:59:59.999Z').expect(200))
      .body as AgingBody;
    expect(bucket(leapDay)).toEqual({
      '0': [1, 2990],
      '1-3': [1, 8990],
      '4-10': [0, 0],
      '11-30': [0, 0],
      '31+': [0, 0],
    });
  });

  it('answers CSV when asked, quoting commas, quotes and line breaks', async () => {
    const response = await get(`/analytics/services/${RESELLER}/timeline`, tokens.analyst, 'text/csv').expect(
      200,
    );
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.text).toBe(
      'status,from,to,reason\r\n' +
        'pending,2028-03-01T03:00:00.000Z,2028-03-01T05:00:00.000Z,\r\n' +
        'active,2028-03-01T05:00:00.000Z,2028-03-31T23:59:59.999Z,\r\n' +
        `cancelled,2028-03-31T23:59:59.999Z,,"Mudou de provedor, ""mais barato""\nem março"\r\n`,
    );
    for (const path of ENDPOINTS) {
      const csv = await get(path, tokens.analyst, 'text/csv').expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.text.split('\r\n')[0]).toMatch(/^[a-zA-Z]+(,[a-zA-Z]+)+$/);
    }
    const aging = await get('/analytics/invoice-aging', tokens.analyst, 'text/csv').expect(200);
    expect(aging.text.split('\r\n')).toEqual([
      'bucket,minDays,maxDays,invoices,amountCents',
      '0,,0,0,0',
      '1-3,1,3,0,0',
      '4-10,4,10,0,0',
      '11-30,11,30,0,0',
      '31+,31,,1,8990',
      '',
    ]);
  });

  it.each([
    ['/analytics/status-durations?to=2028-05-01', ['from']],
    ['/analytics/status-durations?from=2028-05-01&to=2028-04-01', ['to']],
    ['/analytics/status-durations?from=2027-02-29&to=yesterday&kind=vps', ['from', 'to', 'kind']],
    ['/analytics/suspensions?from=2028-03-01&to=2028-04-01&groupBy=week', ['groupBy']],
    ['/analytics/suspensions?from=2028-03-01T00:00:00&to=2028-04-01', ['from']],
    ['/analytics/invoice-aging?at=2028-02-30T00:00:00Z', ['at']],
    [`/analytics/services/${SHARED}/timeline?limit=0`, ['limit']],
  ])('refuses %s with 400 naming %j', async (path, fields) => {
    const { body } = (await get(path).expect(400)) as { body: { details: unknown } };
    expect(body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect([...new Set((body.details as { field: string }[]).map((problem) => problem.field))]).toEqual(
      fields,
    );
  });
});

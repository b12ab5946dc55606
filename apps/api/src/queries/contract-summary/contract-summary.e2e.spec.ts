import { serviceStream } from '@app/domain';
import { startApiTestApp, type ApiTestApp } from '../../testing/api-test-app';
import { givenInvoice, givenService } from '../../testing/billing-fixture';
import { refusalOf, sendCommand } from '../../testing/command-calls';
import { givenContract, type TestContract } from '../../testing/contract-fixture';
import { positionAfter, MEMBERS_AND_STAFF, sendQuery, statusByCaller } from '../../testing/query-calls';

type Answer = { id: string; position: string };
type Summary = {
  contractId: string;
  servicesByStatus: Record<string, number>;
  openInvoices: { count: number; overdueCount: number; totalCents: number; nextDueDate: string | null };
  openTickets: number;
  activeAlerts: number;
};

const ticketBody = {
  subject: 'Dúvida',
  department: 'billing',
  priority: 'low',
  message: 'Quando vence a próxima fatura?',
};

describe("a contract's summary over HTTP, with the worker running", () => {
  let api: ApiTestApp;
  let contract: TestContract;

  beforeAll(async () => {
    // The summary of exactly what the test writes: no reactor issues first invoices beside it.
    api = await startApiTestApp({ env: { RUN_WORKER: 'true', RUN_AUTOMATION: 'false' } });
    contract = await givenContract(api, 'billing');
  });
  afterAll(() => api.close());

  const summary = async (minPosition: string, of: TestContract = contract) =>
    (
      await sendQuery(api, `/contracts/${of.contractId}`, {
        token: of.tokens.memberWithoutPermission,
        minPosition,
      }).expect(200)
    ).body as Summary;

  it('counts services by status, unpaid invoices and their total, open tickets and active alerts', async () => {
    const active = await givenService(api, contract, { status: 'active' });
    await givenService(api, contract, { status: 'pending' });
    await givenService(api, contract, { status: 'suspended' });
    await givenInvoice(api, contract, { totalCents: 2990 });
    await givenInvoice(api, contract, { totalCents: 1500 });
    await givenInvoice(api, contract, { status: 'paid', totalCents: 9900 });
    const service = await sendQuery(api, `/services/${active}`, {
      token: contract.tokens.owner,
      minPosition: await positionAfter(api, serviceStream(active)),
    }).expect(200);
    const { instanceId } = service.body as { instanceId: string };
    // Sent after every other write of the test, so its position is past theirs.
    const incident = await sendCommand(
      api,
      {
        method: 'post',
        path: `/instances/${instanceId}/incidents`,
        body: { title: 'Lento', impact: 'degraded' },
      },
      { token: contract.tokens.admin },
    ).expect(201);

    const figures = await summary((incident.body as Answer).position);
    expect(figures).toMatchObject({
      contractId: contract.contractId,
      servicesByStatus: { pending: 1, active: 1, suspended: 1, cancelled: 0, terminated: 0 },
      openTickets: 0,
      activeAlerts: 1,
    });
    expect(figures.openInvoices).toMatchObject({ count: 2, overdueCount: 0, totalCents: 4490 });
    expect(figures.openInvoices.nextDueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('reads its own writes every time: each ticket opened, then closed, counts at once', async () => {
    const own = await givenContract(api, 'tickets');
    for (let round = 1; round <= 4; round++) {
      const opened = (
        await sendCommand(
          api,
          { method: 'post', path: `/contracts/${own.contractId}/tickets`, body: ticketBody },
          { token: own.tokens.owner },
        ).expect(201)
      ).body as Answer;
      expect((await summary(opened.position, own)).openTickets).toBe(1);
      const closed = (
        await sendCommand(
          api,
          { method: 'post', path: `/tickets/${opened.id}/closure` },
          { token: own.tokens.owner },
        ).expect(200)
      ).body as Answer;
      expect((await summary(closed.position, own)).openTickets).toBe(0);
    }
  });

  it('lets every member and staff read, hides the contract from strangers as if it did not exist', async () => {
    expect(await statusByCaller(api, contract, `/contracts/${contract.contractId}`)).toEqual(
      MEMBERS_AND_STAFF,
    );
    const token = contract.tokens.nonMember;
    const hidden = await sendQuery(api, `/contracts/${contract.contractId}`, { token }).expect(404);
    const missing = await sendQuery(api, '/contracts/no-such-contract', { token }).expect(404);
    expect(hidden.body).toEqual(missing.body);
    expect(refusalOf(missing)).toMatchObject({ code: 'NOT_FOUND' });
    await sendQuery(api, '/contracts/not%20an%20id', { token }).expect(400);
  });
});

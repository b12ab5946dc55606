import { serviceStream } from '@app/domain';
import { startApiTestApp, type ApiTestApp } from '../../testing/api-test-app';
import { givenService } from '../../testing/billing-fixture';
import { sendCommand } from '../../testing/command-calls';
import { givenContract, type TestContract } from '../../testing/contract-fixture';
import {
  positionAfter,
  MEMBERS_AND_STAFF,
  readEveryPage,
  sendQuery,
  statusByCaller,
  type Page,
} from '../../testing/query-calls';

type Answer = { id: string; position: string };
type Alert = { incidentId: string; instanceId: string; title: string; impact: string; serviceIds: string[] };

describe('contract alert queries over HTTP, with the worker running', () => {
  let api: ApiTestApp;
  let contract: TestContract;
  let serviceId: string;
  let instanceId: string;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { RUN_WORKER: 'true' } });
    contract = await givenContract(api, 'billing');
    serviceId = await givenService(api, contract, { status: 'active' });
    const service = await sendQuery(api, `/services/${serviceId}`, {
      token: contract.tokens.owner,
      minPosition: await positionAfter(api, serviceStream(serviceId)),
    }).expect(200);
    instanceId = (service.body as { instanceId: string }).instanceId;
  });
  afterAll(() => api.close());

  const path = () => `/contracts/${contract.contractId}/alerts`;
  const admin = () => contract.tokens.admin;
  const openIncident = async (title: string, onInstance = instanceId) =>
    (
      await sendCommand(
        api,
        { method: 'post', path: `/instances/${onInstance}/incidents`, body: { title, impact: 'outage' } },
        { token: admin() },
      ).expect(201)
    ).body as Answer;
  const resolve = async (incidentId: string) =>
    (
      await sendCommand(
        api,
        { method: 'post', path: `/instances/${instanceId}/incidents/${incidentId}/resolution`, body: {} },
        { token: admin() },
      ).expect(200)
    ).body as Answer;
  const alerts = async (minPosition: string) =>
    (
      (
        await sendQuery(api, path(), { token: contract.tokens.memberWithoutPermission, minPosition }).expect(
          200,
        )
      ).body as Page<Alert>
    ).items;

  it('reads its own writes every time: an incident on its instance shows, and leaves once resolved', async () => {
    for (let round = 0; round < 4; round++) {
      const opened = await openIncident(`Queda do servidor ${round}`);
      expect(await alerts(opened.position)).toEqual([
        expect.objectContaining({
          incidentId: opened.id,
          instanceId,
          impact: 'outage',
          serviceIds: [serviceId],
        }),
      ]);
      const resolved = await resolve(opened.id);
      expect(await alerts(resolved.position)).toEqual([]);
    }
  });

  it("shows no incident of an instance that runs none of the contract's services", async () => {
    const elsewhere = (
      await sendCommand(
        api,
        { method: 'post', path: '/instances', body: { name: 'web99', kind: 'shared', datacenter: 'Rio' } },
        { token: admin() },
      ).expect(201)
    ).body as Answer;
    const opened = await openIncident('Em outro servidor', elsewhere.id);
    expect(await alerts(opened.position)).toEqual([]);
  });

  it('lets every member and staff read, hides the contract from strangers', async () => {
    expect(await statusByCaller(api, contract, path())).toEqual(MEMBERS_AND_STAFF);
    const token = contract.tokens.nonMember;
    const hidden = await sendQuery(api, path(), { token }).expect(404);
    const missing = await sendQuery(api, '/contracts/no-such-contract/alerts', { token }).expect(404);
    expect(hidden.body).toEqual(missing.body);
  });

  it('pages open incidents newest first, each once', async () => {
    const opened: Answer[] = [];
    for (let n = 0; n < 5; n++) opened.push(await openIncident(`Incidente ${n}`));
    const { pages, items } = await readEveryPage<Alert>(api, path(), {
      token: contract.tokens.owner,
      limit: 2,
      minPosition: opened.at(-1)!.position,
    });
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
    expect(items.map((alert) => alert.incidentId)).toEqual(opened.map((incident) => incident.id).reverse());
    await sendQuery(api, `${path()}?cursor=%%%`, { token: contract.tokens.owner }).expect(400);
  });
});

import { startApiTestApp, type ApiTestApp } from '../../testing/api-test-app';
import { sendCommand } from '../../testing/command-calls';
import { givenContract, type TestContract } from '../../testing/contract-fixture';
import {
  PERMISSION_HOLDERS_AND_STAFF,
  readEveryPage,
  sendQuery,
  statusByCaller,
  type Page,
} from '../../testing/query-calls';

type Answer = { id: string; position: string };
type Callback = {
  callbackId: string;
  status: string;
  phone: string;
  topic: string | null;
  requestedBy: string;
};

describe('call-back queries over HTTP, with the worker running', () => {
  let api: ApiTestApp;
  let contract: TestContract;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { RUN_WORKER: 'true' } });
    contract = await givenContract(api, 'tickets');
  });
  afterAll(() => api.close());

  const path = (of: TestContract = contract) => `/contracts/${of.contractId}/callbacks`;
  const requestCallback = async (topic: string, of: TestContract = contract) =>
    (
      await sendCommand(
        api,
        { method: 'post', path: path(of), body: { phone: '+5511987654321', topic } },
        { token: of.tokens.owner },
      ).expect(201)
    ).body as Answer;
  const cancel = async (callbackId: string, of: TestContract = contract) =>
    (
      await sendCommand(
        api,
        { method: 'delete', path: `/callbacks/${callbackId}` },
        { token: of.tokens.owner },
      ).expect(200)
    ).body as Answer;
  const newest = async (minPosition: string) =>
    (
      (await sendQuery(api, path(), { token: contract.tokens.memberWithPermission, minPosition }).expect(200))
        .body as Page<Callback>
    ).items[0];

  it('reads its own writes every time: a request shows as requested, then as cancelled', async () => {
    for (let round = 0; round < 5; round++) {
      const requested = await requestCallback(`Migração ${round}`);
      expect(await newest(requested.position)).toMatchObject({
        callbackId: requested.id,
        status: 'requested',
        phone: '+5511987654321',
        topic: `Migração ${round}`,
        requestedBy: contract.owner.userId,
      });
      const cancelled = await cancel(requested.id);
      expect(await newest(cancelled.position)).toMatchObject({
        callbackId: requested.id,
        status: 'cancelled',
      });
    }
  });

  it('pages the requests newest first, each once', async () => {
    const own = await givenContract(api, 'tickets');
    let last: Answer | undefined;
    for (let n = 0; n < 5; n++) {
      const requested = await requestCallback(`Pedido ${n}`, own);
      last = n < 4 ? await cancel(requested.id, own) : requested;
    }
    const { pages, items } = await readEveryPage<Callback>(api, path(own), {
      token: own.tokens.owner,
      limit: 2,
      minPosition: last!.position,
    });
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
    expect(items.map((callback) => [callback.topic, callback.status])).toEqual([
      ['Pedido 4', 'requested'],
      ...[3, 2, 1, 0].map((n) => [`Pedido ${n}`, 'cancelled']),
    ]);
  });

  it('lets members with `tickets` and staff read, refuses other members, hides the contract from strangers', async () => {
    expect(await statusByCaller(api, contract, path())).toEqual(PERMISSION_HOLDERS_AND_STAFF);
    const token = contract.tokens.nonMember;
    const hidden = await sendQuery(api, path(), { token }).expect(404);
    const missing = await sendQuery(api, '/contracts/no-such-contract/callbacks', { token }).expect(404);
    expect(hidden.body).toEqual(missing.body);
    await sendQuery(api, `${path()}?limit=abc`, { token: contract.tokens.owner }).expect(400);
  });
});

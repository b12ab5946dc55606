import request from 'supertest';
import { READ_MODEL_PROJECTIONS } from '@app/projections';
import { BILLING_REACTOR_FOLLOWERS } from '@app/reactors';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';

type Answer = { id: string; position: string };
const CONTRACT_USERS_VERSION = READ_MODEL_PROJECTIONS.find(
  (projection) => projection.name === 'contract-users',
)!.version;

type StatusItem = {
  name: string;
  version: number;
  kind: string;
  state: string;
  health: string;
  lagEvents: number | null;
};

describe('projection lag and metrics over HTTP, with the worker running', () => {
  let api: ApiTestApp;
  let owner: string;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { RUN_WORKER: 'true' } });
    owner = await api.tokenFor({ userId: 'ops-owner', email: 'dona@exemplo.com.br' });
  });
  afterAll(() => api.close());

  const openContractAndReadIt = async () => {
    const opened = (
      await request(api.server)
        .post('/contracts')
        .set('Authorization', `Bearer ${owner}`)
        .send({ holderName: 'Maria ME', document: '529.982.247-25', phones: ['+5511987654321'] })
        .expect(201)
    ).body as Answer;
    await request(api.server)
      .get('/me/contracts')
      .set('Authorization', `Bearer ${owner}`)
      .set('X-Min-Position', opened.position)
      .expect(200);
    return opened;
  };

  it('shows staff every projection serving at the head, and no one else', async () => {
    await openContractAndReadIt();
    const support = await api.tokenFor({
      userId: 'ops-support',
      email: 's@provedor.com.br',
      roles: ['support'],
    });
    const body = (
      await request(api.server)
        .get('/admin/projections')
        .set('Authorization', `Bearer ${support}`)
        .expect(200)
    ).body as { items: StatusItem[] };
    const contractUsers = body.items.find((item) => item.name === 'contract-users');
    expect(contractUsers).toMatchObject({
      version: CONTRACT_USERS_VERSION,
      kind: 'read model',
      state: 'active',
      health: 'running',
      lagEvents: 0,
    });
    expect(body.items.map((item) => item.name).sort()).toEqual(
      [...READ_MODEL_PROJECTIONS, ...BILLING_REACTOR_FOLLOWERS].map((follower) => follower.name).sort(),
    );
    const reactors = body.items.filter((item) => item.kind === 'reactor');
    expect(reactors.map((item) => item.name).sort()).toEqual(
      BILLING_REACTOR_FOLLOWERS.map((reactor) => reactor.name).sort(),
    );
    for (const reactor of reactors) expect(reactor).toMatchObject({ version: 1, state: 'active' });
    for (const roles of [['billing'], ['admin']] as const) {
      const staff = await api.tokenFor({
        userId: `ops-${roles[0]}`,
        email: 'x@provedor.com.br',
        roles: [...roles],
      });
      await request(api.server).get('/admin/projections').set('Authorization', `Bearer ${staff}`).expect(200);
    }
    await request(api.server).get('/admin/projections').set('Authorization', `Bearer ${owner}`).expect(403);
    const analyst = await api.tokenFor({
      userId: 'ops-analyst',
      email: 'a@provedor.com.br',
      roles: ['analyst'],
    });
    await request(api.server).get('/admin/projections').set('Authorization', `Bearer ${analyst}`).expect(403);
    await request(api.server).get('/admin/projections').expect(401);
  });

  it('serves Prometheus metrics: commands by type and outcome with their latency, projection lag and events applied', async () => {
    await openContractAndReadIt();
    const response = await request(api.server).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.text;
    expect(text).toMatch(/^commands_total\{command="OpenContract",outcome="ok"\} [1-9]\d*$/m);
    expect(text).toMatch(/^command_duration_seconds_count\{command="OpenContract",outcome="ok"\} [1-9]\d*$/m);
    expect(text).toMatch(
      /^command_duration_seconds_bucket\{le="0.05",command="OpenContract",outcome="ok"\} \d+$/m,
    );
    const contractUsers = `projection="contract-users",version="${CONTRACT_USERS_VERSION}"`;
    expect(text).toContain(`\nprojection_lag_events{${contractUsers},state="active"} 0\n`);
    expect(text).toContain(`\nprojection_lag_seconds{${contractUsers},state="active"} 0\n`);
    expect(text).toMatch(
      new RegExp(`^projection_events_applied_total\\{${contractUsers}\\} [1-9]\\d*$`, 'm'),
    );
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});

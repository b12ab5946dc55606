import { startApiTestApp, type ApiTestApp } from '../../testing/api-test-app';
import { sendCommand } from '../../testing/command-calls';
import { readEveryPage, sendQuery, type Page } from '../../testing/query-calls';

type Answer = { id: string; position: string };
type InstanceStatus = {
  instanceId: string;
  name: string;
  status: string;
  openIncidents: { incidentId: string; title: string; impact: string }[];
};
type ResolvedIncident = { incidentId: string; instanceId: string; title: string };

describe('the public status page over HTTP, with the worker running', () => {
  let api: ApiTestApp;
  let admin: string;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { RUN_WORKER: 'true' } });
    admin = await api.tokenFor({ userId: 'status-admin', email: 'admin@provedor.com.br', roles: ['admin'] });
  });
  afterAll(() => api.close());

  const asAdmin = async (path: string, body: object) =>
    (
      await sendCommand(api, { method: 'post', path, body }, { token: admin }).expect((response) => {
        if (response.status !== 200 && response.status !== 201)
          throw new Error(`${path}: ${response.status}`);
      })
    ).body as Answer;
  const register = (name: string) => asAdmin('/instances', { name, kind: 'shared', datacenter: 'São Paulo' });
  const openIncident = (instanceId: string, title: string) =>
    asAdmin(`/instances/${instanceId}/incidents`, { title, impact: 'outage' });
  const resolve = (instanceId: string, incidentId: string) =>
    asAdmin(`/instances/${instanceId}/incidents/${incidentId}/resolution`, { message: 'Normalizado.' });
  const instanceOn = async (instanceId: string, minPosition: string) => {
    const { items } = await readEveryPage<InstanceStatus>(api, '/status', { limit: 500, minPosition });
    return items.find((instance) => instance.instanceId === instanceId);
  };

  it('needs no token, and shows each instance with its open incidents as soon as they are written', async () => {
    const web = await register('web01.sp');
    expect(await instanceOn(web.id, web.position)).toMatchObject({ name: 'web01.sp', openIncidents: [] });
    for (let round = 0; round < 4; round++) {
      const incident = await openIncident(web.id, `Queda ${round}`);
      const down = await instanceOn(web.id, incident.position);
      expect(down?.status).not.toBe('operational');
      expect(down?.openIncidents).toEqual([
        expect.objectContaining({ incidentId: incident.id, impact: 'outage' }),
      ]);
      const resolved = await resolve(web.id, incident.id);
      expect((await instanceOn(web.id, resolved.position))?.openIncidents).toEqual([]);
    }
  });

  it('answers a strong ETag and a short public Cache-Control, then 304 with no body while nothing changed', async () => {
    const first = await sendQuery(api, '/status', {
      minPosition: (await register('web02.sp')).position,
    }).expect(200);
    const etag = first.headers['etag'] as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=5');

    const unchanged = await sendQuery(api, '/status', { ifNoneMatch: etag }).expect(304);
    expect(unchanged.text ?? '').toBe('');
    expect(unchanged.headers['etag']).toBe(etag);
    await sendQuery(api, '/status', { ifNoneMatch: `W/${etag}` }).expect(304);
    await sendQuery(api, '/status', { ifNoneMatch: `"something-else", ${etag}` }).expect(304);

    const changed = await register('web03.sp');
    const after = await sendQuery(api, '/status', {
      ifNoneMatch: etag,
      minPosition: changed.position,
    }).expect(200);
    expect(after.headers['etag']).not.toBe(etag);
    expect((after.body as Page<InstanceStatus>).items.map((instance) => instance.name)).toContain('web03.sp');
  });

  it('pages the instances, and the history of resolved incidents most recently resolved first', async () => {
    const db = await register('db01.sp');
    const resolvedIds: string[] = [];
    let last = db;
    for (let n = 0; n < 5; n++) {
      const incident = await openIncident(db.id, `Manutenção ${n}`);
      last = await resolve(db.id, incident.id);
      resolvedIds.push(incident.id);
    }
    const history = await readEveryPage<ResolvedIncident>(api, '/status/history', {
      limit: 2,
      minPosition: last.position,
    });
    const ofDb = history.items.filter((incident) => incident.instanceId === db.id);
    expect(ofDb.map((incident) => incident.incidentId)).toEqual([...resolvedIds].reverse());
    expect(new Set(history.items.map((incident) => incident.incidentId)).size).toBe(history.items.length);

    const instances = await readEveryPage<InstanceStatus>(api, '/status', { limit: 1 });
    expect(instances.pages.length).toBe(instances.items.length);
    expect(new Set(instances.items.map((instance) => instance.instanceId)).size).toBe(instances.items.length);
    expect(instances.items.map((instance) => instance.name)).toEqual(
      expect.arrayContaining(['web01.sp', 'web02.sp', 'web03.sp', 'db01.sp']),
    );
  });

  it('refuses a bad cursor, limit or X-Min-Position with a 400 naming it', async () => {
    for (const path of ['/status', '/status/history']) {
      await sendQuery(api, `${path}?limit=9999`).expect(400);
      await sendQuery(api, `${path}?cursor=not-ours`).expect(400);
      const stale = await sendQuery(api, path, { minPosition: 'now' }).expect(400);
      expect(stale.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { instanceStream } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE } from '@app/platform';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { CALLER_KINDS, givenContract, type CallerKind, type TestContract } from '../testing/contract-fixture';

type Answer = { id: string; position: string };
type Refusal = { statusCode: number; code: string; message: string; details?: { field: string }[] };
const answer = (response: { body: unknown }) => response.body as Answer;
const refusal = (response: { body: unknown }) => response.body as Refusal;
const fieldsOf = (response: { body: unknown }) =>
  (refusal(response).details ?? []).map((d) => d.field).sort();

const instanceBody = { name: 'web01.sp', kind: 'shared', datacenter: 'São Paulo 1' };
const incidentBody = { title: 'Lentidão no acesso aos sites', impact: 'degraded' };

describe('instance and incident commands over HTTP', () => {
  let api: ApiTestApp;
  let store: EventStore;
  let admin: string;

  beforeAll(async () => {
    api = await startApiTestApp();
    store = api.app.get<EventStore>(EVENT_STORE);
    admin = await api.tokenFor({ userId: 'u-admin', email: 'admin@provedor.com.br', roles: ['admin'] });
  });
  afterAll(() => api.close());

  const post = (path: string, body: object = {}, key?: string, token = admin) => {
    const call = request(api.server).post(path).set('Authorization', `Bearer ${token}`).send(body);
    return key ? call.set('Idempotency-Key', key) : call;
  };
  const register = (body: object = instanceBody, key?: string) => post('/instances', body, key);
  const openIncident = (instanceId: string, body: object = incidentBody, key?: string) =>
    post(`/instances/${instanceId}/incidents`, body, key);
  const postUpdate = (instanceId: string, incidentId: string, body: object, key?: string) =>
    post(`/instances/${instanceId}/incidents/${incidentId}/updates`, body, key);
  const resolve = (instanceId: string, incidentId: string, body: object = {}, key?: string) =>
    post(`/instances/${instanceId}/incidents/${incidentId}/resolution`, body, key);
  const newInstance = async () => answer(await register().expect(201)).id;
  const eventsOf = (instanceId: string) => store.readStream(instanceStream(instanceId));
  const typesOf = async (instanceId: string) => (await eventsOf(instanceId)).map((event) => event.type);

  describe('registering an instance', () => {
    it('registers it and answers its id and position', async () => {
      const { id, position } = answer(await register().expect(201));
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const [registered] = await eventsOf(id);
      expect(registered).toMatchObject({
        type: 'InstanceRegistered',
        position,
        data: { instanceId: id, name: 'web01.sp', kind: 'shared', datacenter: 'São Paulo 1' },
      });
    });

    it('lists each missing field, refuses an unknown one and a kind the domain does not know', async () => {
      expect(fieldsOf(await register({}).expect(400))).toEqual(['datacenter', 'kind', 'name']);
      expect(fieldsOf(await register({ ...instanceBody, status: 'outage' }).expect(400))).toEqual(['status']);
      const kind = await register({ ...instanceBody, kind: 'vps' }).expect(400);
      expect(refusal(kind)).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(fieldsOf(kind)).toEqual(['kind']);
    });

    it('answers a retry with the same key and body byte for byte and appends nothing; another body is refused', async () => {
      const key = `instance-${randomUUID()}`;
      const first = await register(instanceBody, key).expect(201);
      const again = await register(instanceBody, key).expect(201);
      expect(again.text).toBe(first.text);
      expect(await typesOf(answer(first).id)).toEqual(['InstanceRegistered']);
      const reused = await register({ ...instanceBody, kind: 'cloud' }, key).expect(422);
      expect(reused.body).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    });
  });

  describe('incidents', () => {
    it('opens, updates and resolves an incident, answering its id each time', async () => {
      const instanceId = await newInstance();
      const opened = answer(await openIncident(instanceId).expect(201));
      expect(opened.id).toMatch(/^[0-9a-f-]{36}$/);
      const updated = answer(
        await postUpdate(instanceId, opened.id, { message: 'Causa identificada.', impact: 'outage' }).expect(
          200,
        ),
      );
      const resolved = answer(
        await resolve(instanceId, opened.id, { message: 'Disco substituído.' }).expect(200),
      );
      expect([updated.id, resolved.id]).toEqual([opened.id, opened.id]);
      const events = await eventsOf(instanceId);
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['InstanceRegistered', expect.anything()],
        ['IncidentOpened', expect.objectContaining({ incidentId: opened.id, impact: 'degraded' })],
        [
          'IncidentUpdated',
          expect.objectContaining({
            incidentId: opened.id,
            message: 'Causa identificada.',
            impact: 'outage',
          }),
        ],
        [
          'IncidentResolved',
          expect.objectContaining({ incidentId: opened.id, message: 'Disco substituído.' }),
        ],
      ]);
      expect(events.map((event) => event.position).slice(1)).toEqual([
        opened.position,
        updated.position,
        resolved.position,
      ]);
    });

    it('resolves without a message, and resolving again changes nothing', async () => {
      const instanceId = await newInstance();
      const incidentId = answer(await openIncident(instanceId).expect(201)).id;
      const first = answer(await resolve(instanceId, incidentId).expect(200));
      const again = answer(await resolve(instanceId, incidentId).expect(200));
      expect(again).toEqual(first);
      const events = await eventsOf(instanceId);
      expect(events.map((event) => event.type)).toEqual([
        'InstanceRegistered',
        'IncidentOpened',
        'IncidentResolved',
      ]);
      expect(events[2]?.data).toMatchObject({ message: null });
    });

    it('refuses an update to a resolved incident with INVALID_TRANSITION', async () => {
      const instanceId = await newInstance();
      const incidentId = answer(await openIncident(instanceId).expect(201)).id;
      await resolve(instanceId, incidentId).expect(200);
      const response = await postUpdate(instanceId, incidentId, { message: 'Mais uma.' }).expect(422);
      expect(response.body).toMatchObject({
        statusCode: 422,
        code: 'INVALID_TRANSITION',
        details: { from: 'resolved', command: 'PostIncidentUpdate' },
      });
    });

    it('answers an instance or an incident that does not exist with 404', async () => {
      const instanceId = await newInstance();
      const missingInstance = await openIncident('no-such-instance').expect(404);
      expect(refusal(missingInstance)).toMatchObject({
        code: 'NOT_FOUND',
        message: 'This instance does not exist.',
      });
      await postUpdate(instanceId, 'no-such-incident', { message: 'x' }).expect(404);
      await resolve(instanceId, 'no-such-incident').expect(404);
      await resolve(instanceId, 'bad.id').expect(400);
    });

    it('refuses bad and unknown fields, naming them', async () => {
      const instanceId = await newInstance();
      expect(fieldsOf(await openIncident(instanceId, {}).expect(400))).toEqual(['impact', 'title']);
      expect(
        fieldsOf(await openIncident(instanceId, { ...incidentBody, impact: 'down' }).expect(400)),
      ).toEqual(['impact']);
      const incidentId = answer(await openIncident(instanceId).expect(201)).id;
      expect(fieldsOf(await postUpdate(instanceId, incidentId, {}).expect(400))).toEqual(['message']);
      expect(fieldsOf(await postUpdate(instanceId, incidentId, { message: ' ' }).expect(400))).toEqual([
        'message',
      ]);
      expect(fieldsOf(await resolve(instanceId, incidentId, { cause: 'disco' }).expect(400))).toEqual([
        'cause',
      ]);
      expect(await typesOf(instanceId)).toEqual(['InstanceRegistered', 'IncidentOpened']);
    });

    it('answers retried incident commands byte for byte and records each once', async () => {
      const instanceId = await newInstance();
      const key = `incident-${randomUUID()}`;
      const opened = await openIncident(instanceId, incidentBody, key).expect(201);
      expect((await openIncident(instanceId, incidentBody, key).expect(201)).text).toBe(opened.text);
      const incidentId = answer(opened).id;
      const update = { message: 'Investigando.' };
      const updated = await postUpdate(instanceId, incidentId, update, `${key}-update`).expect(200);
      expect((await postUpdate(instanceId, incidentId, update, `${key}-update`).expect(200)).text).toBe(
        updated.text,
      );
      expect(await typesOf(instanceId)).toEqual(['InstanceRegistered', 'IncidentOpened', 'IncidentUpdated']);
      const reused = await postUpdate(instanceId, incidentId, { message: 'Outra.' }, `${key}-update`).expect(
        422,
      );
      expect(refusal(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });
});

describe('who may send instance commands', () => {
  let api: ApiTestApp;
  let contract: TestContract;
  let adminToken: string;

  beforeAll(async () => {
    api = await startApiTestApp();
    contract = await givenContract(api, 'tickets');
    adminToken = contract.tokens.admin;
  });
  afterAll(() => api.close());

  const withToken = (call: request.Test, token: string | undefined) =>
    token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  const asAdmin = async (path: string, body: object) =>
    answer(
      await request(api.server)
        .post(path)
        .set('Authorization', `Bearer ${adminToken}`)
        .send(body)
        .expect(201),
    ).id;
  const givenInstance = () => asAdmin('/instances', instanceBody);
  const givenIncident = async () => {
    const instanceId = await givenInstance();
    return { instanceId, incidentId: await asAdmin(`/instances/${instanceId}/incidents`, incidentBody) };
  };

  /** Instances belong to no contract: only the admin role counts, for customers and other staff alike. */
  const onlyAdmin = (ok: number): Record<CallerKind, number> => ({
    owner: 403,
    memberWithPermission: 403,
    memberWithoutPermission: 403,
    nonMember: 403,
    support: 403,
    billing: 403,
    admin: ok,
    auditor: 403,
    analyst: 403,
  });
  const endpoints: ReadonlyArray<
    Readonly<{ name: string; ok: number; call: (token: string | undefined) => Promise<request.Response> }>
  > = [
    {
      name: 'POST /instances',
      ok: 201,
      call: (token) => withToken(request(api.server).post('/instances'), token).send(instanceBody),
    },
    {
      name: 'POST /instances/:id/incidents',
      ok: 201,
      call: async (token) =>
        withToken(request(api.server).post(`/instances/${await givenInstance()}/incidents`), token).send(
          incidentBody,
        ),
    },
    {
      name: 'POST /instances/:id/incidents/:incidentId/updates',
      ok: 200,
      call: async (token) => {
        const { instanceId, incidentId } = await givenIncident();
        return withToken(
          request(api.server).post(`/instances/${instanceId}/incidents/${incidentId}/updates`),
          token,
        ).send({ message: 'Investigando.' });
      },
    },
    {
      name: 'POST /instances/:id/incidents/:incidentId/resolution',
      ok: 200,
      call: async (token) => {
        const { instanceId, incidentId } = await givenIncident();
        return withToken(
          request(api.server).post(`/instances/${instanceId}/incidents/${incidentId}/resolution`),
          token,
        ).send({});
      },
    },
  ];

  describe.each(endpoints)('$name', ({ ok, call }) => {
    it.each(CALLER_KINDS)('answers the %s as the access table says', async (kind) => {
      expect((await call(contract.tokens[kind])).status).toBe(onlyAdmin(ok)[kind]);
    });

    it('answers 401 without a token', async () => {
      expect((await call(undefined)).status).toBe(401);
    });
  });
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { handleCommand, type WritePath } from '@app/command-handling';
import { serviceDecider, serviceStream, ticketStream, type OrderService } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE, WRITE_PATH } from '@app/platform';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { CALLER_KINDS, givenContract, type CallerKind, type TestContract } from '../testing/contract-fixture';

type Answer = { id: string; position: string };
type Refusal = { statusCode: number; code: string; message: string; details?: { field: string }[] };
const answer = (response: { body: unknown }) => response.body as Answer;
const refusal = (response: { body: unknown }) => response.body as Refusal;
const fieldsOf = (response: { body: unknown }) =>
  (refusal(response).details ?? []).map((d) => d.field).sort();

const ticketBody = {
  subject: 'Site fora do ar',
  department: 'technical',
  priority: 'high',
  message: 'O site não abre desde ontem.',
};

describe('ticket commands over HTTP', () => {
  let api: ApiTestApp;
  let store: EventStore;
  let contract: TestContract;
  let owner: string;
  let member: string;
  let support: string;

  beforeAll(async () => {
    api = await startApiTestApp();
    store = api.app.get<EventStore>(EVENT_STORE);
    contract = await givenContract(api, 'tickets');
    owner = contract.tokens.owner;
    member = contract.tokens.memberWithPermission;
    support = contract.tokens.support;
  });
  afterAll(() => api.close());

  const send = (method: 'post' | 'put', path: string, token: string, body: object = {}, key?: string) => {
    const call = request(api.server)[method](path).set('Authorization', `Bearer ${token}`).send(body);
    return key ? call.set('Idempotency-Key', key) : call;
  };
  const openTicket = (
    token: string,
    body: object = ticketBody,
    key?: string,
    contractId = contract.contractId,
  ) => send('post', `/contracts/${contractId}/tickets`, token, body, key);
  const reply = (token: string, ticketId: string, message = 'Alguma novidade?', key?: string) =>
    send('post', `/tickets/${ticketId}/messages`, token, { message }, key);
  const setStatus = (token: string, ticketId: string, status: string) =>
    send('put', `/tickets/${ticketId}/status`, token, { status });
  const close = (token: string, ticketId: string, body: object = {}) =>
    send('post', `/tickets/${ticketId}/closure`, token, body);
  const newTicket = async (token = member) => answer(await openTicket(token).expect(201)).id;
  const eventsOf = async (ticketId: string) => store.readStream(ticketStream(ticketId));
  const typesOf = async (ticketId: string) => (await eventsOf(ticketId)).map((event) => event.type);

  /** A service ordered on `contractId` through the app's own write path. */
  const givenService = async (on: TestContract) => {
    const serviceId = randomUUID();
    const command: OrderService = {
      type: 'OrderService',
      data: {
        serviceId,
        contractId: on.contractId,
        kind: 'shared_hosting',
        plan: 'Hospedagem I',
        billingCycle: 'monthly',
        priceCents: 2990,
      },
      metadata: { now: new Date().toISOString(), actor: { kind: 'user', ...on.owner } },
    };
    await handleCommand(api.app.get<WritePath>(WRITE_PATH), serviceDecider, serviceStream(serviceId), {
      command,
      commandId: randomUUID(),
    });
    return serviceId;
  };

  describe('opening a ticket', () => {
    it('opens it in the caller’s name and answers its id and position', async () => {
      const response = await openTicket(member).expect(201);
      const { id, position } = answer(response);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(position).toMatch(/^[0-9a-f]{16}-[0-9a-f]{16}$/);
      const [opened] = await eventsOf(id);
      expect(opened).toMatchObject({
        type: 'TicketOpened',
        position,
        data: {
          ticketId: id,
          contractId: contract.contractId,
          subject: 'Site fora do ar',
          department: 'technical',
          priority: 'high',
          serviceId: null,
          openedBy: { userId: contract.callers.memberWithPermission.userId },
        },
      });
    });

    it('names a service of the contract, and answers another contract’s as one that does not exist', async () => {
      const ours = await givenService(contract);
      const id = answer(await openTicket(member, { ...ticketBody, serviceId: ours }).expect(201)).id;
      expect((await eventsOf(id))[0]?.data).toMatchObject({ serviceId: ours });

      const theirs = await givenService(await givenContract(api, 'tickets'));
      const other = await openTicket(member, { ...ticketBody, serviceId: theirs }).expect(404);
      const missing = await openTicket(member, { ...ticketBody, serviceId: 'no-such-service' }).expect(404);
      expect(other.body).toEqual(missing.body);
      expect(other.body).toMatchObject({
        code: 'NOT_FOUND',
        message: 'There is no such service on this contract.',
      });
    });

    it('lists each missing field, and refuses an unknown one', async () => {
      expect(fieldsOf(await openTicket(member, {}).expect(400))).toEqual([
        'department',
        'message',
        'priority',
        'subject',
      ]);
      const unknown = await openTicket(member, { ...ticketBody, status: 'closed' }).expect(400);
      expect(fieldsOf(unknown)).toEqual(['status']);
      expect(fieldsOf(await openTicket(member, { ...ticketBody, serviceId: 'a/b' }).expect(400))).toEqual([
        'serviceId',
      ]);
    });

    it('refuses a department, priority or subject the domain does not take, naming the field', async () => {
      for (const [field, value] of [
        ['department', 'legal'],
        ['priority', 'urgent'],
        ['subject', '   '],
      ] as const) {
        const response = await openTicket(member, { ...ticketBody, [field]: value }).expect(400);
        expect(refusal(response).code).toBe('VALIDATION_FAILED');
        expect(fieldsOf(response)).toEqual([field]);
      }
    });

    it('answers a retry with the same key and body byte for byte and appends nothing; another body is refused', async () => {
      const key = `open-${randomUUID()}`;
      const first = await openTicket(member, ticketBody, key).expect(201);
      const again = await openTicket(member, ticketBody, key).expect(201);
      expect(again.text).toBe(first.text);
      expect(await typesOf(answer(first).id)).toEqual(['TicketOpened']);
      const reused = await openTicket(member, { ...ticketBody, priority: 'low' }, key).expect(422);
      expect(reused.body).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    });
  });

  describe('messages', () => {
    it('a customer reply makes it Customer-Reply and a staff reply Answered, each written by its actor', async () => {
      const id = await newTicket();
      const customerAnswer = answer(await reply(owner, id, 'Ainda fora do ar.').expect(200));
      expect(customerAnswer.id).toBe(id);
      await reply(support, id, 'Reiniciamos o servidor.').expect(200);
      const events = await eventsOf(id);
      expect(events.map((event) => [event.type, (event.data as { author?: unknown }).author])).toEqual([
        ['TicketOpened', undefined],
        ['TicketReplied', { kind: 'customer', userId: contract.callers.owner.userId }],
        ['TicketReplied', { kind: 'staff', staffId: contract.callers.support.userId }],
      ]);
      expect(events[1]?.position).toBe(customerAnswer.position);
    });

    it('a customer reply reopens a closed ticket; staff cannot reply to one', async () => {
      const id = await newTicket();
      await close(member, id).expect(200);
      const refused = await reply(support, id).expect(422);
      expect(refused.body).toMatchObject({ code: 'INVALID_TRANSITION' });
      await reply(member, id, 'Voltou a cair.').expect(200);
      expect(await typesOf(id)).toEqual(['TicketOpened', 'TicketClosed', 'TicketReopened', 'TicketReplied']);
    });

    it('refuses a blank, missing or extra field', async () => {
      const id = await newTicket();
      expect(fieldsOf(await reply(member, id, '  ').expect(400))).toEqual(['message']);
      expect(fieldsOf(await send('post', `/tickets/${id}/messages`, member, {}).expect(400))).toEqual([
        'message',
      ]);
      const extra = await send('post', `/tickets/${id}/messages`, member, { message: 'x', author: 'staff' });
      expect(extra.status).toBe(400);
      expect(fieldsOf(extra)).toEqual(['author']);
      expect(await typesOf(id)).toEqual(['TicketOpened']);
    });

    it('answers a retried message byte for byte and records it once; another body is refused', async () => {
      const id = await newTicket();
      const key = `reply-${randomUUID()}`;
      const first = await reply(member, id, 'Uma vez só.', key).expect(200);
      const again = await reply(member, id, 'Uma vez só.', key).expect(200);
      expect(again.text).toBe(first.text);
      expect(await typesOf(id)).toEqual(['TicketOpened', 'TicketReplied']);
      const reused = await reply(member, id, 'Outra coisa.', key).expect(422);
      expect(refusal(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('answers a ticket that does not exist as one the caller may not know about', async () => {
      const id = await newTicket();
      const stranger = await reply(contract.tokens.nonMember, id).expect(404);
      const missing = await reply(member, 'no-such-ticket').expect(404);
      expect(stranger.body).toEqual(missing.body);
      expect(stranger.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'No such ticket.' });
      await reply(member, 'bad.id').expect(400);
    });
  });

  describe('status', () => {
    it('staff set it In Progress, then On Hold; the same status again changes nothing', async () => {
      const id = await newTicket();
      await setStatus(support, id, 'in_progress').expect(200);
      await setStatus(support, id, 'in_progress').expect(200);
      await setStatus(contract.tokens.admin, id, 'on_hold').expect(200);
      const events = await eventsOf(id);
      expect(events.map((event) => [event.type, (event.data as { status?: string }).status])).toEqual([
        ['TicketOpened', undefined],
        ['TicketStatusChanged', 'in_progress'],
        ['TicketStatusChanged', 'on_hold'],
      ]);
    });

    it('refuses a status change on a closed ticket with INVALID_TRANSITION', async () => {
      const id = await newTicket();
      await close(support, id).expect(200);
      const response = await setStatus(support, id, 'in_progress').expect(422);
      expect(response.body).toMatchObject({
        statusCode: 422,
        code: 'INVALID_TRANSITION',
        details: { from: 'closed', command: 'SetTicketStatus' },
      });
    });

    it('refuses a status staff may not set, or none', async () => {
      const id = await newTicket();
      expect(fieldsOf(await setStatus(support, id, 'closed').expect(400))).toEqual(['status']);
      expect(fieldsOf(await send('put', `/tickets/${id}/status`, support, {}).expect(400))).toEqual([
        'status',
      ]);
    });
  });

  describe('closure', () => {
    it('closes it as the customer, and closing it again changes nothing', async () => {
      const id = await newTicket();
      const first = answer(await close(member, id).expect(200));
      const again = answer(await close(owner, id).expect(200));
      expect(again).toEqual(first);
      const events = await eventsOf(id);
      expect(events.map((event) => event.type)).toEqual(['TicketOpened', 'TicketClosed']);
      expect(events[1]?.data).toMatchObject({ by: 'customer', reason: 'requested' });
    });

    it('records staff as the closer when support closes it', async () => {
      const id = await newTicket();
      await close(support, id).expect(200);
      expect((await eventsOf(id))[1]?.data).toMatchObject({ by: 'staff' });
    });

    it('takes no body field', async () => {
      const id = await newTicket();
      expect(fieldsOf(await close(member, id, { reason: 'resolvido' }).expect(400))).toEqual(['reason']);
      expect(await typesOf(id)).toEqual(['TicketOpened']);
    });
  });
});

describe('who may send ticket commands', () => {
  let api: ApiTestApp;
  let contract: TestContract;

  beforeAll(async () => {
    api = await startApiTestApp();
    contract = await givenContract(api, 'tickets');
  });
  afterAll(() => api.close());

  const openAsOwner = async () => {
    const response = await request(api.server)
      .post(`/contracts/${contract.contractId}/tickets`)
      .set('Authorization', `Bearer ${contract.tokens.owner}`)
      .send(ticketBody)
      .expect(201);
    return answer(response).id;
  };

  type Endpoint = Readonly<{
    name: string;
    call: (token: string | undefined) => Promise<request.Response>;
    expected: Record<CallerKind, number>;
  }>;
  const withToken = (call: request.Test, token: string | undefined) =>
    token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  const customersOrSupport = (ok: number): Record<CallerKind, number> => ({
    owner: ok,
    memberWithPermission: ok,
    memberWithoutPermission: 403,
    nonMember: 404,
    support: ok,
    billing: 403,
    admin: ok,
    auditor: 403,
    analyst: 403,
  });
  const endpoints: readonly Endpoint[] = [
    {
      name: 'POST /contracts/:id/tickets',
      call: (token) =>
        withToken(request(api.server).post(`/contracts/${contract.contractId}/tickets`), token).send(
          ticketBody,
        ),
      expected: { ...customersOrSupport(201), support: 403, admin: 403 },
    },
    {
      name: 'POST /tickets/:id/messages',
      call: async (token) =>
        withToken(request(api.server).post(`/tickets/${await openAsOwner()}/messages`), token).send({
          message: 'Olá',
        }),
      expected: customersOrSupport(200),
    },
    {
      name: 'PUT /tickets/:id/status',
      call: async (token) =>
        withToken(request(api.server).put(`/tickets/${await openAsOwner()}/status`), token).send({
          status: 'on_hold',
        }),
      expected: {
        ...customersOrSupport(403),
        nonMember: 404,
        support: 200,
        admin: 200,
      },
    },
    {
      name: 'POST /tickets/:id/closure',
      call: async (token) =>
        withToken(request(api.server).post(`/tickets/${await openAsOwner()}/closure`), token).send({}),
      expected: customersOrSupport(200),
    },
  ];

  describe.each(endpoints)('$name', ({ call, expected }) => {
    it.each(CALLER_KINDS)('answers the %s as the access table says', async (kind) => {
      expect((await call(contract.tokens[kind])).status).toBe(expected[kind]);
    });

    it('answers 401 without a token', async () => {
      expect((await call(undefined)).status).toBe(401);
    });
  });
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { handleCommand, type WritePath } from '@app/command-handling';
import {
  callbackDecider,
  callbackStream,
  contractDecider,
  contractStream,
  type Actor,
  type CancelCallback,
  type OpenCallbackRequest,
} from '@app/domain';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE, WRITE_PATH, type Caller } from '@app/platform';
import { commandIdFor, entityIdFor, requestDigest } from '../http';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { CALLER_KINDS, givenContract, type CallerKind, type TestContract } from '../testing/contract-fixture';

type Answer = { id: string; position: string };
type Refusal = {
  statusCode: number;
  code: string;
  message: string;
  details?: { field: string }[] | Record<string, unknown>;
};
const answer = (response: { body: unknown }) => response.body as Answer;
const refusal = (response: { body: unknown }) => response.body as Refusal;
const fieldsOf = (response: { body: unknown }) =>
  ((refusal(response).details ?? []) as { field: string }[]).map((d) => d.field).sort();

/** The fixture contract's phones are +5511987654321 and +5521987654321. */
const callbackBody = { phone: '(11) 98765-4321', topic: 'Migração de site' };
const NOT_A_CONTRACT_PHONE = '+5531987654321';

const asActor = (caller: Caller): Actor => ({ kind: 'user', ...caller });

describe('call-back commands over HTTP', () => {
  let api: ApiTestApp;
  let store: EventStore;
  let writePath: WritePath;

  beforeAll(async () => {
    api = await startApiTestApp();
    store = api.app.get<EventStore>(EVENT_STORE);
    writePath = api.app.get<WritePath>(WRITE_PATH);
  });
  afterAll(() => api.close());

  const withKey = (call: request.Test, key?: string) => (key ? call.set('Idempotency-Key', key) : call);
  const requestCallback = (token: string, contractId: string, body: object = callbackBody, key?: string) =>
    withKey(
      request(api.server).post(`/contracts/${contractId}/callbacks`).set('Authorization', `Bearer ${token}`),
      key,
    ).send(body);
  const cancel = (token: string, callbackId: string, key?: string) =>
    withKey(
      request(api.server).delete(`/callbacks/${callbackId}`).set('Authorization', `Bearer ${token}`),
      key,
    );
  const recordOutcome = (token: string, callbackId: string, body: object, key?: string) =>
    withKey(
      request(api.server).post(`/callbacks/${callbackId}/outcome`).set('Authorization', `Bearer ${token}`),
      key,
    ).send(body);

  const typesOf = async (stream: string) => (await store.readStream(stream)).map((event) => event.type);
  const contractCallbackEvents = async (contractId: string) =>
    (await store.readStream(contractStream(contractId))).filter((event) =>
      event.type.startsWith('CallbackRequest'),
    );

  describe('requesting a call-back', () => {
    let contract: TestContract;
    let member: string;
    beforeAll(async () => {
      contract = await givenContract(api, 'tickets');
      member = contract.tokens.memberWithPermission;
    });
    afterEach(async () => {
      // One open request per user: leave none behind for the next test.
      for (const event of await contractCallbackEvents(contract.contractId)) {
        if (event.type === 'CallbackRequestOpened') {
          const { callbackId, userId } = event.data as { callbackId: string; userId: string };
          const kind = CALLER_KINDS.find((k) => contract.callers[k].userId === userId);
          if (kind) await cancel(contract.tokens[kind], callbackId);
        }
      }
    });

    it('records it on the contract, then on its own stream, in the requester’s name', async () => {
      const response = await requestCallback(member, contract.contractId).expect(201);
      const { id, position } = answer(response);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const userId = contract.callers.memberWithPermission.userId;
      const [opened] = await contractCallbackEvents(contract.contractId);
      expect(opened).toMatchObject({
        type: 'CallbackRequestOpened',
        data: { callbackId: id, userId, phone: '+5511987654321', topic: 'Migração de site' },
      });
      const [requested, ...rest] = await store.readStream(callbackStream(id));
      expect(rest).toEqual([]);
      expect(requested).toMatchObject({
        type: 'CallbackRequested',
        position,
        data: { callbackId: id, contractId: contract.contractId, userId, phone: '+5511987654321' },
      });
    });

    it('refuses a phone that is not the contract’s with PHONE_NOT_ON_CONTRACT, appending nothing', async () => {
      const before = (await store.readStream(contractStream(contract.contractId))).length;
      const response = await requestCallback(member, contract.contractId, {
        phone: NOT_A_CONTRACT_PHONE,
      }).expect(422);
      expect(response.body).toMatchObject({
        statusCode: 422,
        code: 'PHONE_NOT_ON_CONTRACT',
        details: { phone: NOT_A_CONTRACT_PHONE },
      });
      expect(await store.readStream(contractStream(contract.contractId))).toHaveLength(before);
    });

    it('refuses a second open request by the same user with CALLBACK_ALREADY_OPEN; another user may ask', async () => {
      const first = answer(await requestCallback(member, contract.contractId).expect(201)).id;
      const second = await requestCallback(member, contract.contractId, { phone: '+5521987654321' }).expect(
        422,
      );
      expect(second.body).toMatchObject({
        statusCode: 422,
        code: 'CALLBACK_ALREADY_OPEN',
        details: { callbackId: first },
      });
      await requestCallback(contract.tokens.owner, contract.contractId).expect(201);
    });

    it('lets the user ask again once the request was cancelled or its outcome recorded', async () => {
      const first = answer(await requestCallback(member, contract.contractId).expect(201)).id;
      await cancel(member, first).expect(200);
      const second = answer(await requestCallback(member, contract.contractId).expect(201)).id;
      await recordOutcome(contract.tokens.support, second, { outcome: 'completed' }).expect(200);
      await requestCallback(member, contract.contractId).expect(201);
    });

    it('lists each bad field, and refuses an unknown one', async () => {
      const before = (await store.readStream(contractStream(contract.contractId))).length;
      expect(fieldsOf(await requestCallback(member, contract.contractId, {}).expect(400))).toEqual(['phone']);
      expect(
        fieldsOf(await requestCallback(member, contract.contractId, { phone: '12345' }).expect(400)),
      ).toEqual(['phone']);
      const longTopic = { ...callbackBody, topic: 'a'.repeat(1_001) };
      expect(fieldsOf(await requestCallback(member, contract.contractId, longTopic).expect(400))).toEqual([
        'topic',
      ]);
      const unknown = { ...callbackBody, userId: contract.callers.owner.userId };
      expect(fieldsOf(await requestCallback(member, contract.contractId, unknown).expect(400))).toEqual([
        'userId',
      ]);
      expect(await store.readStream(contractStream(contract.contractId))).toHaveLength(before);
    });

    it('answers a retry with the same key and body byte for byte and appends nothing; another body is refused', async () => {
      const key = `callback-${randomUUID()}`;
      const first = await requestCallback(member, contract.contractId, callbackBody, key).expect(201);
      const contractLength = (await store.readStream(contractStream(contract.contractId))).length;
      const again = await requestCallback(member, contract.contractId, callbackBody, key).expect(201);
      expect(again.text).toBe(first.text);
      expect(await store.readStream(contractStream(contract.contractId))).toHaveLength(contractLength);
      expect(await typesOf(callbackStream(answer(first).id))).toEqual(['CallbackRequested']);
      const reused = await requestCallback(
        member,
        contract.contractId,
        { phone: '+5521987654321' },
        key,
      ).expect(422);
      expect(reused.body).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    });
  });

  describe('cancelling and recording the outcome', () => {
    let contract: TestContract;
    let member: string;
    let support: string;
    beforeEach(async () => {
      contract = await givenContract(api, 'tickets');
      member = contract.tokens.memberWithPermission;
      support = contract.tokens.support;
    });
    const newCallback = async () => answer(await requestCallback(member, contract.contractId).expect(201)).id;
    const closedOnContract = async () =>
      (await contractCallbackEvents(contract.contractId))
        .filter((event) => event.type === 'CallbackRequestClosed')
        .map((event) => (event.data as { outcome: string }).outcome);

    it('the requester cancels: the call-back is cancelled and the contract frees the slot', async () => {
      const id = await newCallback();
      const cancelled = answer(await cancel(member, id).expect(200));
      expect(cancelled.id).toBe(id);
      expect(await typesOf(callbackStream(id))).toEqual(['CallbackRequested', 'CallbackCancelled']);
      expect(await closedOnContract()).toEqual(['cancelled']);
      const [closed] = (await contractCallbackEvents(contract.contractId)).slice(-1);
      expect(closed?.position).toBe(cancelled.position);
    });

    it('refuses to cancel twice with INVALID_TRANSITION, and answers a retry with its key as the first time', async () => {
      const id = await newCallback();
      const first = await cancel(member, id, 'cancel-1').expect(200);
      const again = await cancel(member, id, 'cancel-1').expect(200);
      expect(again.text).toBe(first.text);
      expect(await typesOf(callbackStream(id))).toEqual(['CallbackRequested', 'CallbackCancelled']);
      const twice = await cancel(member, id).expect(422);
      expect(twice.body).toMatchObject({
        code: 'INVALID_TRANSITION',
        details: { from: 'cancelled', command: 'CancelCallback' },
      });
    });

    it('takes no body field on cancelling', async () => {
      const id = await newCallback();
      const response = await cancel(member, id).send({ reason: 'desisti' }).expect(400);
      expect(fieldsOf(response)).toEqual(['reason']);
      expect(await typesOf(callbackStream(id))).toEqual(['CallbackRequested']);
    });

    it('support records it completed, or unreachable after some attempts; the slot is freed', async () => {
      const completed = await newCallback();
      await recordOutcome(support, completed, { outcome: 'completed', note: 'Resolvido' }).expect(200);
      const unreachable = await newCallback();
      await recordOutcome(contract.tokens.admin, unreachable, { outcome: 'unreachable', attempts: 3 }).expect(
        200,
      );
      const events = await store.readStream(callbackStream(unreachable));
      expect(events[1]).toMatchObject({
        type: 'CallbackMarkedUnreachable',
        data: { attempts: 3, staffId: contract.callers.admin.userId },
      });
      expect(await typesOf(callbackStream(completed))).toEqual(['CallbackRequested', 'CallbackCompleted']);
      expect(await closedOnContract()).toEqual(['completed', 'unreachable']);
    });

    it('refuses an outcome on an ended request with INVALID_TRANSITION', async () => {
      const id = await newCallback();
      await cancel(member, id).expect(200);
      const response = await recordOutcome(support, id, { outcome: 'completed' }).expect(422);
      expect(response.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'cancelled' } });
    });

    it('refuses an outcome that is not one, bad attempts and unknown fields', async () => {
      const id = await newCallback();
      expect(fieldsOf(await recordOutcome(support, id, { outcome: 'voicemail' }).expect(400))).toEqual([
        'outcome',
      ]);
      expect(fieldsOf(await recordOutcome(support, id, {}).expect(400))).toEqual(['outcome']);
      const badAttempts = { outcome: 'unreachable', attempts: 0 };
      expect(fieldsOf(await recordOutcome(support, id, badAttempts).expect(400))).toEqual(['attempts']);
      const unknown = { outcome: 'completed', staffId: 'someone' };
      expect(fieldsOf(await recordOutcome(support, id, unknown).expect(400))).toEqual(['staffId']);
      expect(await typesOf(callbackStream(id))).toEqual(['CallbackRequested']);
    });

    it('answers a retried outcome byte for byte; the same key with another outcome is refused', async () => {
      const id = await newCallback();
      const first = await recordOutcome(support, id, { outcome: 'completed' }, 'outcome-1').expect(200);
      const again = await recordOutcome(support, id, { outcome: 'completed' }, 'outcome-1').expect(200);
      expect(again.text).toBe(first.text);
      const reused = await recordOutcome(support, id, { outcome: 'unreachable' }, 'outcome-1').expect(422);
      expect(refusal(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await closedOnContract()).toEqual(['completed']);
    });

    it('answers a call-back that does not exist as one the caller may not know about', async () => {
      const id = await newCallback();
      const stranger = await cancel(contract.tokens.nonMember, id).expect(404);
      const missing = await cancel(member, 'no-such-callback').expect(404);
      expect(stranger.body).toEqual(missing.body);
      expect(stranger.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'No such call-back.' });
      await recordOutcome(support, 'no-such-callback', { outcome: 'completed' }).expect(404);
      await cancel(member, 'bad.id').expect(400);
    });
  });

  describe('one open request per user, under concurrency', () => {
    it('of 20 requests sent at once by the same user, exactly one is taken and the rest are refused', async () => {
      const contract = await givenContract(api, 'tickets');
      const member = contract.tokens.memberWithPermission;
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          requestCallback(member, contract.contractId, callbackBody, `race-${n}`),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, ...Array.from({ length: 19 }, () => 422)]);
      const winner = answer(responses.find((response) => response.status === 201)!).id;
      for (const refused of responses.filter((response) => response.status === 422)) {
        expect(refused.body).toMatchObject({
          code: 'CALLBACK_ALREADY_OPEN',
          details: { callbackId: winner },
        });
      }
      const opened = (await contractCallbackEvents(contract.contractId)).map(
        (event) => (event.data as { callbackId: string }).callbackId,
      );
      expect(opened).toEqual([winner]);
      expect(await typesOf(callbackStream(winner))).toEqual(['CallbackRequested']);
    });
  });

  describe('when the process died between the two appends', () => {
    let contract: TestContract;
    let requester: Caller;
    let member: string;
    beforeEach(async () => {
      contract = await givenContract(api, 'tickets');
      requester = contract.callers.memberWithPermission;
      member = contract.tokens.memberWithPermission;
    });

    /** Only the contract's step of a request, as a request that died before its second append left it. */
    const takeOnContractOnly = (
      callbackId: string,
      envelope: { commandId: string; requestDigest?: string },
    ) =>
      handleCommand(writePath, contractDecider, contractStream(contract.contractId), {
        ...envelope,
        command: {
          type: 'OpenCallbackRequest',
          data: { callbackId, phone: callbackBody.phone, topic: callbackBody.topic },
          metadata: { now: new Date().toISOString(), actor: asActor(requester) },
        } satisfies OpenCallbackRequest,
      });

    it('the same request again, with its key, writes the call-back stream and answers as a finished one would', async () => {
      const key = `crash-${randomUUID()}`;
      const idempotencyKey = { value: key, supplied: true };
      const callbackId = entityIdFor(requester, idempotencyKey, 'callback');
      await takeOnContractOnly(callbackId, {
        commandId: commandIdFor(requester, idempotencyKey),
        requestDigest: requestDigest({
          method: 'POST',
          route: '/contracts/:id/callbacks',
          params: { id: contract.contractId },
          body: callbackBody,
          userId: requester.userId,
        }),
      });
      expect(await typesOf(callbackStream(callbackId))).toEqual([]);
      const retried = await requestCallback(member, contract.contractId, callbackBody, key).expect(201);
      expect(answer(retried).id).toBe(callbackId);
      expect(await typesOf(callbackStream(callbackId))).toEqual(['CallbackRequested']);
      const again = await requestCallback(member, contract.contractId, callbackBody, key).expect(201);
      expect(again.text).toBe(retried.text);
      expect(await contractCallbackEvents(contract.contractId)).toHaveLength(1);
    });

    it('without a key, the user’s next request writes the lost call-back, so it can be seen and cancelled', async () => {
      const lost = randomUUID();
      await takeOnContractOnly(lost, { commandId: randomUUID() });
      const refused = await requestCallback(member, contract.contractId).expect(422);
      expect(refused.body).toMatchObject({ code: 'CALLBACK_ALREADY_OPEN', details: { callbackId: lost } });
      expect(await typesOf(callbackStream(lost))).toEqual(['CallbackRequested']);
      await cancel(member, lost).expect(200);
      await requestCallback(member, contract.contractId).expect(201);
    });

    it('a cancellation whose contract step was lost frees the slot on the user’s next request', async () => {
      const first = answer(await requestCallback(member, contract.contractId).expect(201)).id;
      await handleCommand(writePath, callbackDecider, callbackStream(first), {
        commandId: randomUUID(),
        command: {
          type: 'CancelCallback',
          data: {},
          metadata: { now: new Date().toISOString(), actor: asActor(requester) },
        } satisfies CancelCallback,
      });
      const second = answer(await requestCallback(member, contract.contractId).expect(201)).id;
      const events = await contractCallbackEvents(contract.contractId);
      expect(events.map((event) => [event.type, (event.data as { callbackId: string }).callbackId])).toEqual([
        ['CallbackRequestOpened', first],
        ['CallbackRequestClosed', first],
        ['CallbackRequestOpened', second],
      ]);
    });
  });
});

describe('who may send call-back commands', () => {
  let api: ApiTestApp;
  beforeAll(async () => {
    api = await startApiTestApp();
  });
  afterAll(() => api.close());

  const withToken = (call: request.Test, token: string | undefined) =>
    token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  /** A contract whose memberWithPermission has a call-back open. */
  const givenCallback = async () => {
    const contract = await givenContract(api, 'tickets');
    const response = await request(api.server)
      .post(`/contracts/${contract.contractId}/callbacks`)
      .set('Authorization', `Bearer ${contract.tokens.memberWithPermission}`)
      .send(callbackBody)
      .expect(201);
    return { contract, callbackId: answer(response).id };
  };

  type Endpoint = Readonly<{
    name: string;
    call: (as: CallerKind | undefined) => Promise<request.Response>;
    expected: Record<CallerKind, number>;
  }>;
  const endpoints: readonly Endpoint[] = [
    {
      name: 'POST /contracts/:id/callbacks',
      call: async (as) => {
        const contract = await givenContract(api, 'tickets');
        const token = as === undefined ? undefined : contract.tokens[as];
        return withToken(request(api.server).post(`/contracts/${contract.contractId}/callbacks`), token).send(
          callbackBody,
        );
      },
      expected: {
        owner: 201,
        memberWithPermission: 201,
        memberWithoutPermission: 403,
        nonMember: 404,
        support: 403,
        billing: 403,
        admin: 403,
        auditor: 403,
        analyst: 403,
      },
    },
    {
      name: 'DELETE /callbacks/:id (the requester is the member with the permission)',
      call: async (as) => {
        const { contract, callbackId } = await givenCallback();
        const token = as === undefined ? undefined : contract.tokens[as];
        return withToken(request(api.server).delete(`/callbacks/${callbackId}`), token);
      },
      expected: {
        owner: 403,
        memberWithPermission: 200,
        memberWithoutPermission: 403,
        nonMember: 404,
        support: 403,
        billing: 403,
        admin: 403,
        auditor: 403,
        analyst: 403,
      },
    },
    {
      name: 'POST /callbacks/:id/outcome',
      call: async (as) => {
        const { contract, callbackId } = await givenCallback();
        const token = as === undefined ? undefined : contract.tokens[as];
        return withToken(request(api.server).post(`/callbacks/${callbackId}/outcome`), token).send({
          outcome: 'completed',
        });
      },
      expected: {
        owner: 403,
        memberWithPermission: 403,
        memberWithoutPermission: 403,
        nonMember: 404,
        support: 200,
        billing: 403,
        admin: 200,
        auditor: 403,
        analyst: 403,
      },
    },
  ];

  describe.each(endpoints)('$name', ({ call, expected }) => {
    it.each(CALLER_KINDS)('answers the %s as the access table says', async (kind) => {
      expect((await call(kind)).status).toBe(expected[kind]);
    });

    it('answers 401 without a token', async () => {
      expect((await call(undefined)).status).toBe(401);
    });
  });
});

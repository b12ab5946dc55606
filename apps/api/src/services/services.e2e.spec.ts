import { localDate, serviceStream } from '@app/domain';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { givenInstance, givenService } from '../testing/billing-fixture';
import {
  badFieldsOf,
  eventsOf,
  lastEventOf,
  refusalOf,
  sendCommand,
  type CommandCall,
} from '../testing/command-calls';
import { CALLER_KINDS, givenContract, type CallerKind, type TestContract } from '../testing/contract-fixture';

type Answer = { id: string; position: string; protocolNumber?: string };
const answerOf = (response: { body: unknown }) => response.body as Answer;

const CARD = {
  method: 'credit_card',
  cardToken: 'tok_4f9a2c',
  brand: 'Visa',
  last4: '4242',
  expMonth: 12,
  expYear: 2099,
};
const DEBIT = {
  method: 'direct_debit',
  bank: '341',
  agency: '1234-5',
  maskedAccount: '****5678',
  debitToken: 'dd_tok_91b2',
};
const ORDER = { kind: 'shared_hosting', plan: 'Hospedagem Plus', billingCycle: 'monthly', priceCents: 2990 };

describe('service commands over HTTP', () => {
  let api: ApiTestApp;
  let contract: TestContract;
  let owner: string;
  let billing: string;
  let admin: string;

  beforeAll(async () => {
    api = await startApiTestApp();
    contract = await givenContract(api, 'orders');
    ({ owner, billing, admin } = contract.tokens);
  });
  afterAll(() => api.close());

  const as = (token: string, call: CommandCall, key?: string) =>
    sendCommand(api, call, { token, ...(key === undefined ? {} : { key }) });
  const order = (body: object, contractId = contract.contractId): CommandCall => ({
    method: 'post',
    path: `/contracts/${contractId}/services`,
    body,
  });
  const cancel = (serviceId: string, body: object = { when: 'immediate', reason: 'Não preciso mais' }) =>
    ({ method: 'post', path: `/services/${serviceId}/cancellation`, body }) as const;
  const paymentMethod = (serviceId: string, body: object) =>
    ({ method: 'put', path: `/services/${serviceId}/payment-method`, body }) as const;
  const provision = (serviceId: string, body: object) =>
    ({ method: 'post', path: `/services/${serviceId}/provisioning`, body }) as const;
  const suspend = (serviceId: string, body: object = { reason: 'abuse' }) =>
    ({ method: 'post', path: `/services/${serviceId}/suspension`, body }) as const;
  const reactivate = (serviceId: string, body?: object) =>
    ({ method: 'delete', path: `/services/${serviceId}/suspension`, ...(body ? { body } : {}) }) as const;

  describe('POST /contracts/:id/services', () => {
    it('orders a pending service, due the day it is ordered', async () => {
      const response = await as(owner, order(ORDER)).expect(201);
      const { id, position } = answerOf(response);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(position).toMatch(/^[0-9a-f]{16}-[0-9a-f]{16}$/);
      const [ordered, ...rest] = await eventsOf(api, serviceStream(id));
      expect(rest).toEqual([]);
      expect(ordered).toMatchObject({
        type: 'ServiceOrdered',
        data: {
          serviceId: id,
          contractId: contract.contractId,
          kind: 'shared_hosting',
          plan: 'Hospedagem Plus',
          billingCycle: 'monthly',
          priceCents: 2990,
          parentServiceId: null,
          parentKind: null,
          firstDueDate: localDate(new Date().toISOString()),
        },
        metadata: { actor: { kind: 'user', userId: contract.owner.userId } },
      });
    });

    it("gives an add-on its parent's kind, read from the parent's stream", async () => {
      const parentId = await givenService(api, contract, { kind: 'cloud_server' });
      const response = await as(owner, order({ ...ORDER, kind: 'addon', parentServiceId: parentId })).expect(
        201,
      );
      expect(await lastEventOf(api, serviceStream(answerOf(response).id))).toMatchObject({
        type: 'ServiceOrdered',
        data: { kind: 'addon', parentServiceId: parentId, parentKind: 'cloud_server' },
      });
    });

    it('answers a parent of another contract exactly as one that does not exist, and orders nothing', async () => {
      const other = await givenContract(api, 'orders');
      const theirs = await givenService(api, other);
      const hidden = await as(
        owner,
        order({ ...ORDER, kind: 'addon', parentServiceId: theirs }),
        'k-hidden',
      ).expect(404);
      const missing = await as(
        owner,
        order({ ...ORDER, kind: 'addon', parentServiceId: 'no-such-service' }),
      ).expect(404);
      expect(hidden.body).toEqual(missing.body);
      expect(hidden.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'No such service.' });
      expect(await eventsOf(api, serviceStream(theirs))).toHaveLength(1);
    });

    it('leaves the add-on rules to the domain: an add-on needs a parent, and the parent is no add-on', async () => {
      const noParent = await as(owner, order({ ...ORDER, kind: 'addon' })).expect(400);
      expect(badFieldsOf(noParent)).toEqual(['parentServiceId']);
      const parentId = await givenService(api, contract);
      const addon = answerOf(
        await as(owner, order({ ...ORDER, kind: 'addon', parentServiceId: parentId })).expect(201),
      );
      const ofAddon = await as(owner, order({ ...ORDER, kind: 'addon', parentServiceId: addon.id })).expect(
        400,
      );
      expect(badFieldsOf(ofAddon)).toEqual(['parentServiceId']);
      const notAddon = await as(owner, order({ ...ORDER, parentServiceId: parentId })).expect(400);
      expect(badFieldsOf(notAddon)).toEqual(['parentServiceId']);
    });

    it('lists each bad field, refuses unknown ones and a price of zero', async () => {
      const bad = await as(
        owner,
        order({ kind: 'vps', plan: '', billingCycle: 'weekly', priceCents: 29.9, parentServiceId: 'a.b' }),
      ).expect(400);
      expect(refusalOf(bad).code).toBe('VALIDATION_FAILED');
      expect(badFieldsOf(bad)).toEqual(['billingCycle', 'kind', 'parentServiceId', 'plan', 'priceCents']);
      const unknown = await as(owner, order({ ...ORDER, discount: 10 })).expect(400);
      expect(badFieldsOf(unknown)).toEqual(['discount']);
      const zero = await as(owner, order({ ...ORDER, priceCents: 0 })).expect(400);
      expect(badFieldsOf(zero)).toEqual(['priceCents']);
    });

    it('answers a retry with the same key and body byte for byte, creating nothing, and a reuse with 422', async () => {
      const first = await as(owner, order(ORDER), 'order-1').expect(201);
      const again = await as(owner, order(ORDER), 'order-1').expect(201);
      expect(again.text).toBe(first.text);
      expect(await eventsOf(api, serviceStream(answerOf(first).id))).toHaveLength(1);
      const reused = await as(owner, order({ ...ORDER, plan: 'Outro' }), 'order-1').expect(422);
      expect(refusalOf(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await eventsOf(api, serviceStream(answerOf(first).id))).toHaveLength(1);
    });

    it('refuses a malformed contract id before reading anything', async () => {
      const response = await as(owner, order(ORDER, 'bad.id')).expect(400);
      expect(badFieldsOf(response)).toEqual(['id']);
    });
  });

  describe('POST /services/:id/cancellation', () => {
    it('cancels a service now, under a 16-digit protocol number it answers', async () => {
      const serviceId = await givenService(api, contract);
      const response = await as(owner, cancel(serviceId)).expect(200);
      const { id, protocolNumber } = answerOf(response);
      expect(id).toBe(serviceId);
      expect(protocolNumber).toMatch(/^\d{16}$/);
      expect(await lastEventOf(api, serviceStream(serviceId))).toMatchObject({
        type: 'ServiceCancelled',
        data: { when: 'immediate', reason: 'Não preciso mais', protocolNumber },
      });
    });

    it('schedules an active service for the end of its paid period', async () => {
      const serviceId = await givenService(api, contract, { status: 'active' });
      await as(owner, cancel(serviceId, { when: 'end_of_period', reason: 'Vou migrar' })).expect(200);
      const event = await lastEventOf(api, serviceStream(serviceId));
      expect(event).toMatchObject({ type: 'ServiceCancellationScheduled', data: { reason: 'Vou migrar' } });
      expect((event.data as { effectiveOn: string }).effectiveOn > localDate(new Date().toISOString())).toBe(
        true,
      );
    });

    it('refuses to cancel a cancelled service, or a pending one at the end of a period it never paid', async () => {
      const serviceId = await givenService(api, contract);
      const notYet = await as(owner, cancel(serviceId, { when: 'end_of_period', reason: 'x' })).expect(422);
      expect(notYet.body).toMatchObject({
        code: 'INVALID_TRANSITION',
        details: { from: 'pending', command: 'CancelService', when: 'end_of_period' },
      });
      await as(owner, cancel(serviceId)).expect(200);
      const twice = await as(owner, cancel(serviceId)).expect(422);
      expect(twice.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'cancelled' } });
      expect(await eventsOf(api, serviceStream(serviceId))).toHaveLength(2);
    });

    it('answers a retry with the same protocol number byte for byte, and a reuse with 422', async () => {
      const serviceId = await givenService(api, contract);
      const first = await as(owner, cancel(serviceId), 'cancel-1').expect(200);
      const again = await as(owner, cancel(serviceId), 'cancel-1').expect(200);
      expect(again.text).toBe(first.text);
      expect(await eventsOf(api, serviceStream(serviceId))).toHaveLength(2);
      const reused = await as(
        owner,
        cancel(serviceId, { when: 'immediate', reason: 'Outro' }),
        'cancel-1',
      ).expect(422);
      expect(refusalOf(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('gives another request another protocol number', async () => {
      const a = answerOf(await as(owner, cancel(await givenService(api, contract)), 'cancel-a').expect(200));
      const b = answerOf(await as(owner, cancel(await givenService(api, contract)), 'cancel-b').expect(200));
      expect(a.protocolNumber).not.toBe(b.protocolNumber);
    });

    it('lists each bad field and refuses unknown ones', async () => {
      const serviceId = await givenService(api, contract);
      const bad = await as(owner, cancel(serviceId, { when: 'tomorrow', reason: '' })).expect(400);
      expect(badFieldsOf(bad)).toEqual(['reason', 'when']);
      const unknown = await as(
        owner,
        cancel(serviceId, { when: 'immediate', reason: 'x', protocolNumber: '1' }),
      ).expect(400);
      expect(badFieldsOf(unknown)).toEqual(['protocolNumber']);
      expect(await eventsOf(api, serviceStream(serviceId))).toHaveLength(1);
    });

    it('answers a stranger exactly as for a service that does not exist', async () => {
      const serviceId = await givenService(api, contract);
      const hidden = await as(contract.tokens.nonMember, cancel(serviceId)).expect(404);
      const missing = await as(owner, cancel('no-such-service')).expect(404);
      expect(hidden.body).toEqual(missing.body);
      expect(hidden.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'No such service.' });
    });
  });

  describe('PUT /services/:id/payment-method', () => {
    it('gives the service a card of its own, and takes it back to the contract default with no method', async () => {
      const serviceId = await givenService(api, contract);
      await as(owner, paymentMethod(serviceId, CARD)).expect(200);
      expect(await lastEventOf(api, serviceStream(serviceId))).toMatchObject({
        type: 'ServicePaymentMethodChanged',
        data: { paymentMethod: CARD },
      });
      await as(owner, paymentMethod(serviceId, DEBIT)).expect(200);
      expect((await lastEventOf(api, serviceStream(serviceId))).data).toMatchObject({ paymentMethod: DEBIT });
      for (const body of [{}, { method: null }]) {
        await as(owner, paymentMethod(serviceId, body)).expect(200);
        expect((await lastEventOf(api, serviceStream(serviceId))).data).toMatchObject({
          paymentMethod: null,
        });
      }
      await as(owner, paymentMethod(serviceId, { method: 'boleto' })).expect(200);
      expect((await lastEventOf(api, serviceStream(serviceId))).data).toMatchObject({
        paymentMethod: { method: 'boleto' },
      });
    });

    it.each([
      ['a card number field', { ...CARD, cardNumber: '4111111111111111' }, 'cardNumber'],
      ['a CVV', { ...CARD, cvv: '123' }, 'cvv'],
      ['a card number in a token', { ...CARD, cardToken: '4111 1111 1111 1111' }, 'cardToken'],
      ['a card field on a boleto', { method: 'boleto', cardToken: 'tok_1' }, 'cardToken'],
      ['a card without its token', { ...CARD, cardToken: undefined }, 'cardToken'],
      ['a debit field on a card', { ...CARD, bank: '341' }, 'bank'],
      ['an expired card', { ...CARD, expYear: 2001 }, 'expYear'],
      ['a method that does not exist', { method: 'pix' }, 'method'],
      ['card fields without a method', { cardToken: 'tok_1' }, 'method'],
      ['an account showing every digit', { ...DEBIT, maskedAccount: '**12345678' }, 'maskedAccount'],
    ])('refuses %s, naming the field and never echoing it', async (_case, body, field) => {
      const serviceId = await givenService(api, contract);
      const response = await as(owner, paymentMethod(serviceId, body)).expect(400);
      expect(refusalOf(response).code).toBe('VALIDATION_FAILED');
      expect(badFieldsOf(response)).toEqual([field]);
      expect(response.text).not.toContain('4111');
      expect(response.text).not.toContain('12345678');
      expect(await eventsOf(api, serviceStream(serviceId))).toHaveLength(1);
    });

    it('lists each field of the wrong shape', async () => {
      const serviceId = await givenService(api, contract);
      const response = await as(
        owner,
        paymentMethod(serviceId, {
          method: 'credit_card',
          cardToken: 1,
          brand: [],
          last4: '42424',
          expMonth: '12',
          expYear: 20.5,
        }),
      ).expect(400);
      expect(badFieldsOf(response)).toEqual(['brand', 'cardToken', 'expMonth', 'expYear', 'last4']);
    });

    it('refuses a cancelled service', async () => {
      const serviceId = await givenService(api, contract);
      await as(owner, cancel(serviceId)).expect(200);
      const response = await as(owner, paymentMethod(serviceId, CARD)).expect(422);
      expect(response.body).toMatchObject({
        code: 'INVALID_TRANSITION',
        details: { from: 'cancelled', command: 'ChangeServicePaymentMethod' },
      });
    });

    it('answers a retry byte for byte, appending nothing, and a reuse with 422', async () => {
      const serviceId = await givenService(api, contract);
      const first = await as(owner, paymentMethod(serviceId, CARD), 'pm-1').expect(200);
      const again = await as(owner, paymentMethod(serviceId, CARD), 'pm-1').expect(200);
      expect(again.text).toBe(first.text);
      expect(await eventsOf(api, serviceStream(serviceId))).toHaveLength(2);
      const reused = await as(owner, paymentMethod(serviceId, DEBIT), 'pm-1').expect(422);
      expect(refusalOf(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('POST /services/:id/provisioning', () => {
    it('records the instance a pending service runs on', async () => {
      const serviceId = await givenService(api, contract);
      const instanceId = await givenInstance(api);
      await as(admin, provision(serviceId, { instanceId })).expect(200);
      expect(await lastEventOf(api, serviceStream(serviceId))).toMatchObject({
        type: 'ServiceProvisioned',
        data: { serviceId, instanceId },
      });
    });

    it('refuses an instance that is not registered, and a service no longer pending', async () => {
      const pending = await givenService(api, contract);
      const unknown = await as(admin, provision(pending, { instanceId: 'srv-nowhere' })).expect(404);
      expect(unknown.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'No such instance.' });
      expect(await eventsOf(api, serviceStream(pending))).toHaveLength(1);
      const active = await givenService(api, contract, { status: 'active' });
      const again = await as(admin, provision(active, { instanceId: await givenInstance(api) })).expect(422);
      expect(again.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'active' } });
    });

    it('checks the shape of the instance id and refuses unknown fields', async () => {
      const serviceId = await givenService(api, contract);
      expect(badFieldsOf(await as(admin, provision(serviceId, { instanceId: 'a b' })).expect(400))).toEqual([
        'instanceId',
      ]);
      expect(badFieldsOf(await as(admin, provision(serviceId, {})).expect(400))).toEqual(['instanceId']);
      const instanceId = await givenInstance(api);
      expect(
        badFieldsOf(await as(admin, provision(serviceId, { instanceId, ip: '10.0.0.1' })).expect(400)),
      ).toEqual(['ip']);
    });

    it('answers a retry byte for byte, appending nothing, and a reuse with 422', async () => {
      const serviceId = await givenService(api, contract);
      const instanceId = await givenInstance(api);
      const first = await as(admin, provision(serviceId, { instanceId }), 'prov-1').expect(200);
      const again = await as(admin, provision(serviceId, { instanceId }), 'prov-1').expect(200);
      expect(again.text).toBe(first.text);
      expect(await eventsOf(api, serviceStream(serviceId))).toHaveLength(2);
      const other = await givenInstance(api);
      const reused = await as(admin, provision(serviceId, { instanceId: other }), 'prov-1').expect(422);
      expect(refusalOf(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('POST and DELETE /services/:id/suspension', () => {
    it('suspends an active service for abuse, and lifts it', async () => {
      const serviceId = await givenService(api, contract, { status: 'active' });
      await as(billing, suspend(serviceId, { reason: 'abuse', note: 'Spam' })).expect(200);
      expect(await lastEventOf(api, serviceStream(serviceId))).toMatchObject({
        type: 'ServiceSuspended',
        data: { reason: 'abuse', note: 'Spam', invoiceId: null },
        metadata: { actor: { kind: 'user', userId: contract.callers.billing.userId } },
      });
      await as(billing, reactivate(serviceId, { reason: 'Resolvido' })).expect(200);
      expect(await lastEventOf(api, serviceStream(serviceId))).toMatchObject({
        type: 'ServiceReactivated',
        data: { by: 'staff', previousReason: 'abuse' },
      });
    });

    it('lifts a suspension with no body at all', async () => {
      const serviceId = await givenService(api, contract, { status: 'suspended' });
      await as(admin, reactivate(serviceId)).expect(200);
      expect((await lastEventOf(api, serviceStream(serviceId))).type).toBe('ServiceReactivated');
    });

    it.each(['terms_of_service', 'other'])('suspends for %s', async (reason) => {
      const serviceId = await givenService(api, contract, { status: 'active' });
      await as(billing, suspend(serviceId, { reason })).expect(200);
      expect((await lastEventOf(api, serviceStream(serviceId))).data).toMatchObject({ reason });
    });

    it("leaves non-payment to the billing clock and parent suspensions to the add-ons' rule", async () => {
      const serviceId = await givenService(api, contract, { status: 'active' });
      for (const reason of ['non_payment', 'parent_suspended', undefined]) {
        const response = await as(billing, suspend(serviceId, reason === undefined ? {} : { reason })).expect(
          400,
        );
        expect(badFieldsOf(response)).toEqual(['reason']);
      }
      expect(
        badFieldsOf(await as(billing, suspend(serviceId, { reason: 'abuse', until: 'x' })).expect(400)),
      ).toEqual(['until']);
      expect(badFieldsOf(await as(billing, reactivate(serviceId, { reason: 7 })).expect(400))).toEqual([
        'reason',
      ]);
      expect(await eventsOf(api, serviceStream(serviceId))).toHaveLength(4);
    });

    it('refuses to suspend a pending service, or to lift a suspension that is not there', async () => {
      const pending = await givenService(api, contract);
      const suspended = await as(billing, suspend(pending)).expect(422);
      expect(suspended.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'pending' } });
      const active = await givenService(api, contract, { status: 'active' });
      const lifted = await as(billing, reactivate(active)).expect(422);
      expect(lifted.body).toMatchObject({
        code: 'INVALID_TRANSITION',
        details: { from: 'active', command: 'ReactivateService' },
      });
    });

    it('changes nothing when the same suspension is asked again, and refuses replacing it by another', async () => {
      const serviceId = await givenService(api, contract, { status: 'suspended' });
      await as(billing, suspend(serviceId, { reason: 'abuse' })).expect(200);
      expect(await eventsOf(api, serviceStream(serviceId))).toHaveLength(5);
      const other = await as(billing, suspend(serviceId, { reason: 'other' })).expect(422);
      expect(other.body).toMatchObject({
        code: 'INVALID_TRANSITION',
        details: { from: 'suspended', reason: 'abuse' },
      });
    });

    it('answers retries byte for byte, appending nothing, and reuses with 422', async () => {
      const serviceId = await givenService(api, contract, { status: 'active' });
      const first = await as(billing, suspend(serviceId), 'susp-1').expect(200);
      expect((await as(billing, suspend(serviceId), 'susp-1').expect(200)).text).toBe(first.text);
      expect(await eventsOf(api, serviceStream(serviceId))).toHaveLength(5);
      const reusedPost = await as(billing, suspend(serviceId, { reason: 'other' }), 'susp-1').expect(422);
      expect(refusalOf(reusedPost).code).toBe('IDEMPOTENCY_KEY_REUSED');
      const lift = await as(billing, reactivate(serviceId, { reason: 'ok' }), 'lift-1').expect(200);
      expect((await as(billing, reactivate(serviceId, { reason: 'ok' }), 'lift-1').expect(200)).text).toBe(
        lift.text,
      );
      expect(await eventsOf(api, serviceStream(serviceId))).toHaveLength(6);
      const reusedDelete = await as(billing, reactivate(serviceId, { reason: 'other' }), 'lift-1').expect(
        422,
      );
      expect(refusalOf(reusedDelete).code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });
});

describe('who may send the service commands', () => {
  let api: ApiTestApp;
  beforeAll(async () => {
    api = await startApiTestApp();
  });
  afterAll(() => api.close());

  type Expected = Record<CallerKind | 'anonymous', number>;
  const customers = (allowed: number): Pick<Expected, 'owner' | 'memberWithPermission'> => ({
    owner: allowed,
    memberWithPermission: allowed,
  });
  const staffOnly = (billingMay: boolean, supportMay = false): Expected => ({
    owner: 403,
    memberWithPermission: 403,
    memberWithoutPermission: 403,
    nonMember: 404,
    support: supportMay ? 200 : 403,
    billing: billingMay ? 200 : 403,
    admin: 200,
    auditor: 403,
    analyst: 403,
    anonymous: 401,
  });

  const endpoints: readonly {
    name: string;
    permission: 'orders' | 'billing';
    call: (contract: TestContract) => Promise<CommandCall>;
    expected: Expected;
  }[] = [
    {
      name: 'POST /contracts/:id/services',
      permission: 'orders',
      call: async (contract) => ({
        method: 'post',
        path: `/contracts/${contract.contractId}/services`,
        body: ORDER,
      }),
      expected: {
        ...customers(201),
        memberWithoutPermission: 403,
        nonMember: 404,
        support: 403,
        billing: 403,
        admin: 403,
        auditor: 403,
        analyst: 403,
        anonymous: 401,
      },
    },
    {
      name: 'POST /services/:id/cancellation',
      permission: 'orders',
      call: async (contract) => ({
        method: 'post',
        path: `/services/${await givenService(api, contract)}/cancellation`,
        body: { when: 'immediate', reason: 'x' },
      }),
      expected: {
        ...customers(200),
        memberWithoutPermission: 403,
        nonMember: 404,
        support: 403,
        billing: 200,
        admin: 200,
        auditor: 403,
        analyst: 403,
        anonymous: 401,
      },
    },
    {
      name: 'PUT /services/:id/payment-method',
      permission: 'billing',
      call: async (contract) => ({
        method: 'put',
        path: `/services/${await givenService(api, contract)}/payment-method`,
        body: CARD,
      }),
      expected: {
        ...customers(200),
        memberWithoutPermission: 403,
        nonMember: 404,
        support: 403,
        billing: 403,
        admin: 403,
        auditor: 403,
        analyst: 403,
        anonymous: 401,
      },
    },
    {
      name: 'POST /services/:id/provisioning',
      permission: 'orders',
      call: async (contract) => ({
        method: 'post',
        path: `/services/${await givenService(api, contract)}/provisioning`,
        body: { instanceId: await givenInstance(api) },
      }),
      expected: staffOnly(false),
    },
    {
      name: 'POST /services/:id/suspension',
      permission: 'orders',
      call: async (contract) => ({
        method: 'post',
        path: `/services/${await givenService(api, contract, { status: 'active' })}/suspension`,
        body: { reason: 'abuse' },
      }),
      expected: staffOnly(true),
    },
    {
      name: 'DELETE /services/:id/suspension',
      permission: 'orders',
      call: async (contract) => ({
        method: 'delete',
        path: `/services/${await givenService(api, contract, { status: 'suspended' })}/suspension`,
      }),
      expected: staffOnly(true),
    },
  ];

  const cases = endpoints.flatMap((endpoint) =>
    [...CALLER_KINDS, 'anonymous' as const].map((kind) => ({
      ...endpoint,
      kind,
      status: endpoint.expected[kind],
    })),
  );

  it.each(cases)('$name answers the $kind $status', async ({ permission, call, kind, status }) => {
    const contract = await givenContract(api, permission);
    const token = kind === 'anonymous' ? undefined : contract.tokens[kind];
    const response = await sendCommand(api, await call(contract), token === undefined ? {} : { token });
    expect(response.status).toBe(status);
  });
});

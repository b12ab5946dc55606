import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { CALLER_KINDS, givenContract, type CallerKind } from '../testing/contract-fixture';

const CPF = '529.982.247-25';

type Answer = { id: string; position: string };
type Refusal = { statusCode: number; code: string; message: string; details?: { field: string }[] };
const answer = (response: { body: unknown }) => response.body as Answer;
const refusal = (response: { body: unknown }) => response.body as Refusal;

describe('contract commands over HTTP', () => {
  let api: ApiTestApp;
  let owner: string;
  let stranger: string;

  beforeAll(async () => {
    api = await startApiTestApp();
    owner = await api.tokenFor({ userId: 'u-owner', email: 'dona@exemplo.com.br' });
    stranger = await api.tokenFor({ userId: 'u-stranger', email: 'x@outro.com' });
  });
  afterAll(() => api.close());

  const openContract = (token: string, body: object, key?: string) => {
    const call = request(api.server).post('/contracts').set('Authorization', `Bearer ${token}`).send(body);
    return key ? call.set('Idempotency-Key', key) : call;
  };
  const contractBody = { holderName: 'Maria da Silva ME', document: CPF, phones: ['+5511987654321'] };

  it('opens a contract for the caller and answers its id and position', async () => {
    const response = await openContract(owner, contractBody).expect(201);
    expect(answer(response).id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer(response).position).toMatch(/^[0-9a-f]{16}-[0-9a-f]{16}$/);
  });

  it('answers a retry with the same key and body byte for byte, and a reuse with another body with 422', async () => {
    const first = await openContract(owner, contractBody, 'open-1').expect(201);
    const again = await openContract(owner, contractBody, 'open-1').expect(201);
    expect(again.text).toBe(first.text);
    const reused = await openContract(owner, { ...contractBody, holderName: 'Other' }, 'open-1').expect(422);
    expect(reused.body).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses a document that is not a valid CPF or CNPJ, naming the field', async () => {
    const response = await openContract(owner, { ...contractBody, document: '111.111.111-11' }).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(refusal(response).details?.map((d) => d.field)).toEqual(['document']);
  });

  it('refuses a card number sent under any name, without echoing it', async () => {
    const response = await openContract(owner, { ...contractBody, cardNumber: '4111111111111111' }).expect(
      400,
    );
    expect(refusal(response).code).toBe('VALIDATION_FAILED');
    expect(response.text).not.toContain('4111111111111111');
  });

  it('lists each bad field of the body', async () => {
    const response = await openContract(owner, { holderName: 7, phones: 'x' }).expect(400);
    const fields = (refusal(response).details ?? []).map((d) => d.field).sort();
    expect(fields).toEqual(['document', 'holderName', 'phones']);
  });

  describe('contacts', () => {
    let contractId: string;
    beforeAll(async () => {
      contractId = answer(await openContract(owner, contractBody).expect(201)).id;
    });
    const addContact = (token: string, id: string) =>
      request(api.server)
        .post(`/contracts/${id}/contacts`)
        .set('Authorization', `Bearer ${token}`)
        .send({ name: 'Financeiro', email: 'financeiro@exemplo.com.br', categories: ['billing'] });

    it('lets the owner add one', async () => {
      const response = await addContact(owner, contractId).expect(201);
      expect(answer(response).id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('answers a stranger exactly as for a contract that does not exist', async () => {
      const hidden = await addContact(stranger, contractId).expect(404);
      const missing = await addContact(stranger, 'no-such-contract').expect(404);
      expect(hidden.body).toEqual(missing.body);
      expect(hidden.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'No such contract.' });
    });

    it('refuses a malformed id in the path before reading anything', async () => {
      const response = await addContact(owner, 'bad.id').expect(400);
      expect(refusal(response).code).toBe('VALIDATION_FAILED');
    });
  });
});

describe('who may add a contact', () => {
  let api: ApiTestApp;
  beforeAll(async () => {
    api = await startApiTestApp();
  });
  afterAll(() => api.close());

  const expected: Record<CallerKind, number> = {
    owner: 201,
    memberWithPermission: 201,
    memberWithoutPermission: 403,
    nonMember: 404,
    support: 403,
    billing: 403,
    admin: 403,
    auditor: 403,
    analyst: 403,
  };

  it.each(CALLER_KINDS)('answers the %s as the access table says', async (kind) => {
    const contract = await givenContract(api, 'contacts');
    await request(api.server)
      .post(`/contracts/${contract.contractId}/contacts`)
      .set('Authorization', `Bearer ${contract.tokens[kind]}`)
      .send({ name: 'Técnico', email: 'tec@exemplo.com.br', categories: ['technical'] })
      .expect(expected[kind]);
  });

  it('answers 401 without a token', async () => {
    const contract = await givenContract(api, 'contacts');
    await request(api.server)
      .post(`/contracts/${contract.contractId}/contacts`)
      .send({ name: 'Técnico', email: 'tec@exemplo.com.br', categories: ['technical'] })
      .expect(401);
  });
});

import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import {
  answer,
  badFields,
  CONTRACT_BODY,
  contractCommands,
  contractEvents,
  lastEvent,
  refusal,
  type ContractCommands,
} from './contract-commands.e2e-client';

describe('contract commands over HTTP', () => {
  let api: ApiTestApp;
  let commands: ContractCommands;
  let owner: string;
  let stranger: string;

  beforeAll(async () => {
    api = await startApiTestApp();
    commands = contractCommands(api);
    owner = await api.tokenFor({ userId: 'u-owner', email: 'dona@exemplo.com.br' });
    stranger = await api.tokenFor({ userId: 'u-stranger', email: 'x@outro.com' });
  });
  afterAll(() => api.close());

  it('opens a contract for the caller and answers its id and position', async () => {
    const response = await commands.open(owner).expect(201);
    expect(answer(response).id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer(response).position).toMatch(/^[0-9a-f]{16}-[0-9a-f]{16}$/);
  });

  it('answers a retry with the same key and body byte for byte, and a reuse with another body with 422', async () => {
    const first = await commands.open(owner, CONTRACT_BODY, 'open-1').expect(201);
    const again = await commands.open(owner, CONTRACT_BODY, 'open-1').expect(201);
    expect(again.text).toBe(first.text);
    const reused = await commands
      .open(owner, { ...CONTRACT_BODY, holderName: 'Other' }, 'open-1')
      .expect(422);
    expect(reused.body).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses a document that is not a valid CPF or CNPJ, naming the field', async () => {
    const response = await commands.open(owner, { ...CONTRACT_BODY, document: '111.111.111-11' }).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(badFields(response)).toEqual(['document']);
  });

  it('refuses a card number sent under any name, without echoing it', async () => {
    const response = await commands
      .open(owner, { ...CONTRACT_BODY, cardNumber: '4111111111111111' })
      .expect(400);
    expect(refusal(response).code).toBe('VALIDATION_FAILED');
    expect(response.text).not.toContain('4111111111111111');
  });

  it('lists each bad field of the body', async () => {
    const response = await commands.open(owner, { holderName: 7, phones: 'x' }).expect(400);
    expect(badFields(response)).toEqual(['document', 'holderName', 'phones']);
  });

  describe('contacts', () => {
    let contractId: string;
    const contact = { name: 'Financeiro', email: 'financeiro@exemplo.com.br', categories: ['billing'] };

    beforeEach(async () => {
      contractId = answer(await commands.open(owner).expect(201)).id;
    });

    it('lets the owner add one', async () => {
      const response = await commands.addContact(owner, contractId, contact).expect(201);
      expect(answer(response).id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await lastEvent(api, contractId)).toMatchObject({
        type: 'ContactAdded',
        data: { contactId: answer(response).id, email: contact.email, categories: ['billing'] },
      });
    });

    it('answers a stranger exactly as for a contract that does not exist', async () => {
      const hidden = await commands.addContact(stranger, contractId, contact).expect(404);
      const missing = await commands.addContact(stranger, 'no-such-contract', contact).expect(404);
      expect(hidden.body).toEqual(missing.body);
      expect(hidden.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'No such contract.' });
    });

    it('refuses a malformed id in the path before reading anything', async () => {
      const response = await commands.addContact(owner, 'bad.id', contact).expect(400);
      expect(refusal(response).code).toBe('VALIDATION_FAILED');
    });

    it('removes one, after which it is gone and its address may be added again', async () => {
      const { id: contactId } = answer(await commands.addContact(owner, contractId, contact).expect(201));
      const removed = await commands.removeContact(owner, contractId, contactId).expect(200);
      expect(answer(removed).id).toBe(contactId);
      expect(await lastEvent(api, contractId)).toMatchObject({
        type: 'ContactRemoved',
        data: { contractId, contactId },
      });
      const again = await commands.removeContact(owner, contractId, contactId).expect(404);
      expect(refusal(again)).toMatchObject({
        code: 'NOT_FOUND',
        message: 'There is no such contact on the contract.',
      });
      await commands.addContact(owner, contractId, contact).expect(201);
    });

    it('answers a retried removal as the first time, appending nothing', async () => {
      const { id: contactId } = answer(await commands.addContact(owner, contractId, contact).expect(201));
      const first = await commands.removeContact(owner, contractId, contactId, 'remove-contact').expect(200);
      const before = (await contractEvents(api, contractId)).length;
      const retry = await commands.removeContact(owner, contractId, contactId, 'remove-contact').expect(200);
      expect(retry.text).toBe(first.text);
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });

    it('refuses the key of one removal reused for another contact, appending nothing', async () => {
      const { id: one } = answer(await commands.addContact(owner, contractId, contact).expect(201));
      const other = { ...contact, email: 'tecnico@exemplo.com.br', categories: ['technical'] };
      const { id: two } = answer(await commands.addContact(owner, contractId, other).expect(201));
      await commands.removeContact(owner, contractId, one, 'remove-once').expect(200);
      const before = (await contractEvents(api, contractId)).length;
      const reused = await commands.removeContact(owner, contractId, two, 'remove-once').expect(422);
      expect(refusal(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await contractEvents(api, contractId)).toHaveLength(before);
    });

    it('refuses a malformed contact id, naming it', async () => {
      const response = await commands.removeContact(owner, contractId, 'bad.id').expect(400);
      expect(badFields(response)).toEqual(['contactId']);
    });
  });
});

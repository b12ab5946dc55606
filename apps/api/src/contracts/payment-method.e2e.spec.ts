import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import {
  answer,
  badFields,
  contractCommands,
  contractEvents,
  lastEvent,
  refusal,
  type ContractCommands,
} from './contract-commands.e2e-client';

const CARD = {
  method: 'credit_card',
  cardToken: 'tok_9f8e7d6c5b4a',
  brand: 'Visa',
  last4: '4242',
  expMonth: 12,
  expYear: 2099,
} as const;
const DEBIT = {
  method: 'direct_debit',
  bank: 'Banco do Brasil',
  agency: '1234-5',
  maskedAccount: '*****-67',
  debitToken: 'dd_tok_1a2b3c',
} as const;
const PAN = '4111111111111111';

describe('PUT /contracts/:id/payment-method', () => {
  let api: ApiTestApp;
  let commands: ContractCommands;
  let owner: string;
  let contractId: string;

  beforeAll(async () => {
    api = await startApiTestApp();
    commands = contractCommands(api);
    owner = await api.tokenFor({ userId: 'u-owner', email: 'dona@exemplo.com.br' });
  });
  afterAll(() => api.close());
  beforeEach(async () => {
    contractId = answer(await commands.open(owner).expect(201)).id;
  });

  /** Sends `body` and expects a 400 that appended nothing; gives the response. */
  const refused = async (body: object) => {
    const before = (await contractEvents(api, contractId)).length;
    const response = await commands.changePaymentMethod(owner, contractId, body).expect(400);
    expect(refusal(response).code).toBe('VALIDATION_FAILED');
    expect(await contractEvents(api, contractId)).toHaveLength(before);
    return response;
  };

  it.each([
    ['a card', CARD],
    ['direct debit', DEBIT],
  ])('records %s as the default, with exactly the fields sent', async (_name, method) => {
    const response = await commands.changePaymentMethod(owner, contractId, method).expect(200);
    expect(answer(response).id).toBe(contractId);
    expect(await lastEvent(api, contractId)).toEqual({
      type: 'DefaultPaymentMethodChanged',
      data: expect.objectContaining({ contractId, paymentMethod: method }) as unknown,
    });
  });

  it('goes back to boleto, and changes nothing when the method is the one in place', async () => {
    await commands.changePaymentMethod(owner, contractId, CARD).expect(200);
    await commands.changePaymentMethod(owner, contractId, { method: 'boleto' }).expect(200);
    expect(await lastEvent(api, contractId)).toMatchObject({
      type: 'DefaultPaymentMethodChanged',
      data: { paymentMethod: { method: 'boleto' } },
    });
    const before = (await contractEvents(api, contractId)).length;
    await commands.changePaymentMethod(owner, contractId, { method: 'boleto' }).expect(200);
    expect(await contractEvents(api, contractId)).toHaveLength(before);
  });

  it('refuses any field besides method for boleto', async () => {
    const response = await refused({ method: 'boleto', cardToken: 'tok_x', bank: 'Itaú' });
    expect(badFields(response)).toEqual(['bank', 'cardToken']);
  });

  it("refuses a card with direct debit's fields, and direct debit with a card's", async () => {
    expect(badFields(await refused({ ...CARD, bank: 'Itaú' }))).toEqual(['bank']);
    expect(badFields(await refused({ ...DEBIT, last4: '4242', cardToken: 'tok_x' }))).toEqual([
      'cardToken',
      'last4',
    ]);
  });

  it('lists every missing or mistyped field of the method', async () => {
    expect(badFields(await refused({ method: 'credit_card' }))).toEqual([
      'brand',
      'cardToken',
      'expMonth',
      'expYear',
      'last4',
    ]);
    expect(badFields(await refused({ method: 'direct_debit', bank: 7 }))).toEqual([
      'agency',
      'bank',
      'debitToken',
      'maskedAccount',
    ]);
    expect(badFields(await refused({ ...CARD, expMonth: '12', last4: '42424' }))).toEqual([
      'expMonth',
      'last4',
    ]);
  });

  it('names only the method when it is missing or unknown', async () => {
    expect(badFields(await refused({}))).toEqual(['method']);
    expect(badFields(await refused({ method: 'pix', pixKey: 'a@b.com' }))).toEqual(['method']);
    const noBody = await commands.changePaymentMethod(owner, contractId, []).expect(400);
    expect(badFields(noBody)).toEqual(['method']);
  });

  it.each([
    ['a card number field', { ...CARD, cardNumber: PAN }, 'cardNumber'],
    ['a CVV', { ...CARD, cvv: '987' }, 'cvv'],
    ['a card number as the token', { ...CARD, cardToken: PAN }, 'cardToken'],
    ['a card number grouped in spaces', { ...CARD, brand: '4111 1111 1111 1111' }, 'brand'],
  ])('refuses %s without ever repeating it', async (_name, body, field) => {
    const response = await refused(body);
    expect(badFields(response)).toEqual([field]);
    const secret = String((body as Record<string, unknown>)[field]);
    expect(response.text).not.toContain(secret);
    expect(response.text).not.toContain(secret.replace(/\D/g, ''));
  });

  it('refuses what the domain does not accept: an expired card, a masked account showing too much', async () => {
    expect(badFields(await refused({ ...CARD, expYear: 2020 }))).toEqual(['expYear']);
    expect(badFields(await refused({ ...CARD, expMonth: 13 }))).toEqual(['expMonth']);
    expect(badFields(await refused({ ...DEBIT, maskedAccount: '**123456' }))).toEqual(['maskedAccount']);
  });

  it('refuses a malformed contract id', async () => {
    const response = await commands.changePaymentMethod(owner, 'bad.id', CARD).expect(400);
    expect(badFields(response)).toEqual(['id']);
  });

  it('answers a retry with the same key byte for byte and refuses the key for another method', async () => {
    const first = await commands.changePaymentMethod(owner, contractId, CARD, 'pay-1').expect(200);
    const before = (await contractEvents(api, contractId)).length;
    const retry = await commands.changePaymentMethod(owner, contractId, CARD, 'pay-1').expect(200);
    expect(retry.text).toBe(first.text);
    const reused = await commands.changePaymentMethod(owner, contractId, DEBIT, 'pay-1').expect(422);
    expect(refusal(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await contractEvents(api, contractId)).toHaveLength(before);
  });
});

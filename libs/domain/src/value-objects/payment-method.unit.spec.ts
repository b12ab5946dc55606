import { InvalidValueError } from '../shared/domain-error';
import { parsePaymentMethod } from './payment-method';

const NOW = '2025-06-15T12:00:00.000Z';
const card = {
  method: 'credit_card',
  cardToken: 'tok_9f8e7d6c',
  brand: 'visa',
  last4: '4242',
  expMonth: 12,
  expYear: 2027,
};
const debit = {
  method: 'direct_debit',
  bank: '341 Itaú',
  agency: '1234-5',
  maskedAccount: '*****-67',
  debitToken: 'dd_abc123',
};

/** Asserts the input is refused naming `field`, and that no value of the input appears in the message. */
const refused = (input: Record<string, unknown>, field: string, now = NOW): InvalidValueError => {
  let caught: unknown;
  try {
    parsePaymentMethod(input, now);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidValueError);
  const error = caught as InvalidValueError;
  expect(error.field).toBe(field);
  for (const value of Object.values(input)) {
    if (typeof value === 'string' && /\d{3}/.test(value)) expect(error.message).not.toContain(value);
  }
  return error;
};

describe('parsePaymentMethod', () => {
  it('accepts a boleto', () => {
    expect(parsePaymentMethod({ method: 'boleto' }, NOW)).toEqual({ method: 'boleto' });
  });

  it('accepts a tokenised credit card', () => {
    expect(parsePaymentMethod(card, NOW)).toEqual(card);
  });

  it('accepts a card expiring this month, in São Paulo time', () => {
    expect(parsePaymentMethod({ ...card, expMonth: 6, expYear: 2025 }, NOW)).toEqual({
      ...card,
      expMonth: 6,
      expYear: 2025,
    });
    // 02:00 UTC on July 1st is still June 30th in São Paulo.
    expect(() =>
      parsePaymentMethod({ ...card, expMonth: 6, expYear: 2025 }, '2025-07-01T02:00:00Z'),
    ).not.toThrow();
  });

  it('accepts a direct debit with a masked account', () => {
    expect(parsePaymentMethod(debit, NOW)).toEqual(debit);
    expect(parsePaymentMethod({ ...debit, agency: '0001', maskedAccount: 'xxxx1234' }, NOW)).toMatchObject({
      maskedAccount: 'xxxx1234',
    });
    expect(
      parsePaymentMethod({ ...debit, agency: '0001-x', maskedAccount: '••• •12.3-4' }, NOW),
    ).toMatchObject({
      agency: '0001-x',
    });
    expect(parsePaymentMethod({ ...debit, bank: 'B' }, NOW)).toMatchObject({ bank: 'B' });
  });

  describe('never accepts card secrets', () => {
    it.each([
      'cardNumber',
      'card_number',
      'number',
      'pan',
      'PAN',
      'cvv',
      'cvv2',
      'cvc',
      'securityCode',
      'security_code',
    ])('refuses a %s field', (field) => {
      const error = refused({ ...card, [field]: '123' }, field);
      expect(error.message).toBe(
        'card numbers and security codes are never accepted: send the payment gateway token instead',
      );
    });

    it.each([
      ['a token', { ...card, cardToken: 'tok_4111111111111111' }, 'cardToken'],
      ['a spaced token', { ...card, cardToken: '4111-1111-1111-1' }, 'cardToken'],
      ['a brand', { ...card, brand: '4111 1111 1111 1111' }, 'brand'],
      ['a debit token', { ...debit, debitToken: 'x5500000000000004x' }, 'debitToken'],
      ['an unknown field', { ...card, extra: '4111111111111111' }, 'extra'],
      ['a numeric field', { ...card, expYear: 4111111111111111 }, 'expYear'],
      ['a boleto', { method: 'boleto', note: '4111111111111' }, 'note'],
    ])('refuses a card number in %s', (_case, input, field) => {
      expect(refused(input, field).message).toBe(
        `${field} looks like a full card number, which is never accepted`,
      );
    });

    it('refuses a field named like a card number', () => {
      expect(refused({ ...card, '4111111111111111': true }, 'paymentMethod').message).toBe(
        'a field name looks like a full card number, which is never accepted',
      );
    });

    it('refuses a card number nested in an unknown field', () => {
      expect(refused({ ...card, extra: { pan: ['4111111111111111'] } }, 'extra').message).toBe(
        'extra looks like a full card number, which is never accepted',
      );
    });

    it.each(['serialNumber', 'panel', 'cvvCheck', 'precvc'])(
      'takes a %s field for an unknown one, not a secret',
      (field) => {
        expect(refused({ ...card, [field]: 'x' }, field).message).toBe(
          `credit_card payments have no field ${field}`,
        );
      },
    );

    it('accepts twelve digits in a token', () => {
      expect(parsePaymentMethod({ ...card, cardToken: 'tok_411111111111' }, NOW)).toMatchObject({
        cardToken: 'tok_411111111111',
      });
    });
  });

  it.each([
    ['a missing method', { cardToken: 'x' }, 'method'],
    ['an unknown method', { method: 'pix' }, 'method'],
    ['a field a boleto has not', { method: 'boleto', cardToken: 'tok' }, 'cardToken'],
    ['a field a card has not', { ...card, bank: 'x' }, 'bank'],
    ['a field a direct debit has not', { ...debit, last4: '1234' }, 'last4'],
    ['a missing card token', { ...card, cardToken: undefined }, 'cardToken'],
    ['an empty card token', { ...card, cardToken: '' }, 'cardToken'],
    ['a token with a space', { ...card, cardToken: 'tok 1' }, 'cardToken'],
    ['a token too long', { ...card, cardToken: 'x'.repeat(256) }, 'cardToken'],
    ['an empty brand', { ...card, brand: '' }, 'brand'],
    ['a brand with digits', { ...card, brand: 'visa2' }, 'brand'],
    ['a brand too long', { ...card, brand: 'v'.repeat(31) }, 'brand'],
    ['three digits in last4', { ...card, last4: '424' }, 'last4'],
    ['five digits in last4', { ...card, last4: '42424' }, 'last4'],
    ['letters in last4', { ...card, last4: '42a4' }, 'last4'],
    ['a number as last4', { ...card, last4: 4242 }, 'last4'],
    ['month 0', { ...card, expMonth: 0 }, 'expMonth'],
    ['month 13', { ...card, expMonth: 13 }, 'expMonth'],
    ['a fractional month', { ...card, expMonth: 6.5 }, 'expMonth'],
    ['a month as text', { ...card, expMonth: '06' }, 'expMonth'],
    ['a two-digit year', { ...card, expYear: 27 }, 'expYear'],
    ['year 2100', { ...card, expYear: 2100 }, 'expYear'],
    ['an expired card', { ...card, expMonth: 5, expYear: 2025 }, 'expYear'],
    ['a card expired last year', { ...card, expMonth: 12, expYear: 2024 }, 'expYear'],
    ['a missing bank', { ...debit, bank: undefined }, 'bank'],
    ['a bank with a trailing space', { ...debit, bank: 'Itaú ' }, 'bank'],
    ['a brand with a leading space', { ...card, brand: ' visa' }, 'brand'],
    ['an agency with a dangling hyphen', { ...debit, agency: '1234-' }, 'agency'],
    ['an agency of 6 digits', { ...debit, agency: '123456' }, 'agency'],
    ['a bank with surrounding spaces', { ...debit, bank: ' Itaú' }, 'bank'],
    ['a bank name too long', { ...debit, bank: 'b'.repeat(61) }, 'bank'],
    ['a 3-digit agency', { ...debit, agency: '123' }, 'agency'],
    ['an agency with a bad check digit', { ...debit, agency: '1234-Y' }, 'agency'],
    ['an unmasked account', { ...debit, maskedAccount: '1234' }, 'maskedAccount'],
    ['an account showing 5 digits', { ...debit, maskedAccount: '***12345' }, 'maskedAccount'],
    ['an account with letters', { ...debit, maskedAccount: '***abc' }, 'maskedAccount'],
    ['an account with a label', { ...debit, maskedAccount: 'conta ***12' }, 'maskedAccount'],
    ['a missing debit token', { ...debit, debitToken: undefined }, 'debitToken'],
  ])('refuses %s', (_case, input, field) => {
    refused(input, field);
  });

  it('accepts the other shapes of agency, account and brand', () => {
    expect(parsePaymentMethod({ ...debit, agency: '12345', maskedAccount: 'XXXX-12' }, NOW)).toMatchObject({
      agency: '12345',
      maskedAccount: 'XXXX-12',
    });
    expect(parsePaymentMethod({ ...debit, agency: '1234X' }, NOW)).toMatchObject({ agency: '1234X' });
    expect(parsePaymentMethod({ ...card, brand: 'Mercado-Pago' }, NOW)).toMatchObject({
      brand: 'Mercado-Pago',
    });
  });

  it('takes the year 2000 as a valid but expired year', () => {
    expect(refused({ ...card, expMonth: 1, expYear: 2000 }, 'expYear').message).toBe('the card has expired');
  });

  it('accepts the boundaries', () => {
    expect(parsePaymentMethod({ ...card, expMonth: 1, expYear: 2099 }, NOW)).toMatchObject({ expMonth: 1 });
    expect(
      parsePaymentMethod({ ...card, cardToken: 'x'.repeat(255), brand: 'V'.repeat(30) }, NOW),
    ).toMatchObject({
      brand: 'V'.repeat(30),
    });
    expect(parsePaymentMethod({ ...debit, bank: 'b'.repeat(60), maskedAccount: '*1234' }, NOW)).toMatchObject(
      {
        maskedAccount: '*1234',
      },
    );
    expect(parsePaymentMethod({ ...card, brand: 'American Express' }, NOW)).toMatchObject({
      brand: 'American Express',
    });
  });

  it.each([
    ['cardToken', card, 'the gateway token: 1 to 255 visible characters'],
    ['brand', card, 'the card brand name'],
    ['maskedAccount', debit, 'the account number masked with * or x'],
    ['bank', debit, 'the bank name or code (1 to 60 characters)'],
    ['agency', debit, 'the 4-digit agency, optionally with its check digit'],
    ['debitToken', debit, 'the gateway token: 1 to 255 visible characters'],
  ])('explains what %s must be', (field, base, rule) => {
    expect(refused({ ...base, [field]: '' }, field).message).toBe(`${field} must be ${rule}`);
  });

  it('explains the refusals', () => {
    expect(refused({ method: 'pix' }, 'method').message).toBe(
      'method must be one of boleto, credit_card, direct_debit',
    );
    expect(refused({ method: 'boleto', last4: '1' }, 'last4').message).toBe(
      'boleto payments have no field last4',
    );
    expect(refused({ ...card, expMonth: 13 }, 'expMonth').message).toBe(
      'expMonth must be a whole number from 1 to 12',
    );
    expect(refused({ ...card, last4: '1' }, 'last4').message).toBe(
      'last4 must be the last four digits of the card',
    );
    expect(refused({ ...card, expYear: 2024 }, 'expYear').message).toBe('the card has expired');
    expect(refused({ ...debit, maskedAccount: '*12345' }, 'maskedAccount').message).toBe(
      'maskedAccount may show at most 4 digits of the account',
    );
  });
});

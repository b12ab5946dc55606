import { InvalidValueError } from '../shared/domain-error';
import { type Instant, localDate } from './calendar';

/**
 * How a contract or a service is paid. Card and bank data are only a gateway token plus what the portal shows
 * (brand, last four digits, expiry; bank, agency, masked account): a full card number or a CVV never gets here.
 */
export type PaymentMethod =
  | Readonly<{ method: 'boleto' }>
  | Readonly<{
      method: 'credit_card';
      cardToken: string;
      brand: string;
      last4: string;
      expMonth: number;
      expYear: number;
    }>
  | Readonly<{
      method: 'direct_debit';
      bank: string;
      agency: string;
      maskedAccount: string;
      debitToken: string;
    }>;

/**
 * A payment method as it arrives from outside (an HTTP body): any fields, parsed by {@link parsePaymentMethod}
 * before anything keeps it.
 */
export type PaymentMethodInput = Readonly<Record<string, unknown>>;

/** The kinds of payment method: boleto, credit card, direct debit (débito em conta). */
export const PAYMENT_METHOD_KINDS = ['boleto', 'credit_card', 'direct_debit'] as const;

/** One of {@link PAYMENT_METHOD_KINDS}. */
export type PaymentMethodKind = (typeof PAYMENT_METHOD_KINDS)[number];

const FIELDS: Readonly<Record<PaymentMethodKind, readonly string[]>> = {
  boleto: ['method'],
  credit_card: ['method', 'cardToken', 'brand', 'last4', 'expMonth', 'expYear'],
  direct_debit: ['method', 'bank', 'agency', 'maskedAccount', 'debitToken'],
};

const SECRET_FIELD = /^(?:card_?number|number|pan|cvv2?|cvc2?|security_?code)$/i;
/** Thirteen or more digits, maybe grouped by spaces or hyphens: the shape of a card number (PAN). */
const CARD_NUMBER = /(?:\d[ -]?){12}\d/;
const TOKEN = /^[\x21-\x7e]{1,255}$/;
const BRAND = /^[A-Za-z][A-Za-z -]{0,29}$/;
const LAST4 = /^\d{4}$/;
const BANK = /^\S(?:.{0,58}\S)?$/;
const AGENCY = /^\d{4}(?:-?[\dX])?$/i;
const MASKED_ACCOUNT = /^(?=.*[*x•])[\d*x•.\s-]+$/i;

const isPaymentMethodKind = (value: unknown): value is PaymentMethodKind =>
  (PAYMENT_METHOD_KINDS as readonly unknown[]).includes(value);

/** Refuses card numbers and security codes wherever they appear, naming the field but never echoing the value. */
const refuseSecrets = (input: Readonly<Record<string, unknown>>): void => {
  for (const [field, value] of Object.entries(input)) {
    if (SECRET_FIELD.test(field)) {
      throw new InvalidValueError(
        field,
        'card numbers and security codes are never accepted: send the payment gateway token instead',
      );
    }
    if (CARD_NUMBER.test(field)) {
      throw new InvalidValueError(
        'paymentMethod',
        'a field name looks like a full card number, which is never accepted',
      );
    }
    // Serialised, so a card number nested in an array or object is found too.
    if (CARD_NUMBER.test(String(JSON.stringify(value)))) {
      throw new InvalidValueError(field, `${field} looks like a full card number, which is never accepted`);
    }
  }
};

const text = (
  input: Readonly<Record<string, unknown>>,
  field: string,
  pattern: RegExp,
  rule: string,
): string => {
  const value = input[field];
  if (typeof value !== 'string' || !pattern.test(value))
    throw new InvalidValueError(field, `${field} must be ${rule}`);
  return value;
};

const integer = (
  input: Readonly<Record<string, unknown>>,
  field: string,
  min: number,
  max: number,
): number => {
  const value = input[field];
  // Number.isInteger is false for anything but a number, so Number(value) only ever reads a number.
  if (!Number.isInteger(value) || Number(value) < min || Number(value) > max) {
    throw new InvalidValueError(field, `${field} must be a whole number from ${min} to ${max}`);
  }
  return Number(value);
};

const parseCreditCard = (input: Readonly<Record<string, unknown>>, now: Instant): PaymentMethod => {
  const expMonth = integer(input, 'expMonth', 1, 12);
  const expYear = integer(input, 'expYear', 2000, 2099);
  const today = localDate(now);
  // A card is valid through the last day of its expiry month.
  if (expYear * 12 + expMonth < Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7))) {
    throw new InvalidValueError('expYear', 'the card has expired');
  }
  return {
    method: 'credit_card',
    cardToken: text(input, 'cardToken', TOKEN, 'the gateway token: 1 to 255 visible characters'),
    brand: text(input, 'brand', BRAND, 'the card brand name'),
    last4: text(input, 'last4', LAST4, 'the last four digits of the card'),
    expMonth,
    expYear,
  };
};

const parseDirectDebit = (input: Readonly<Record<string, unknown>>): PaymentMethod => {
  const maskedAccount = text(input, 'maskedAccount', MASKED_ACCOUNT, 'the account number masked with * or x');
  if (maskedAccount.replace(/\D/g, '').length > 4) {
    throw new InvalidValueError('maskedAccount', 'maskedAccount may show at most 4 digits of the account');
  }
  return {
    method: 'direct_debit',
    bank: text(input, 'bank', BANK, 'the bank name or code (1 to 60 characters)'),
    agency: text(input, 'agency', AGENCY, 'the 4-digit agency, optionally with its check digit'),
    maskedAccount,
    debitToken: text(input, 'debitToken', TOKEN, 'the gateway token: 1 to 255 visible characters'),
  };
};

/** One parser per kind; the record type makes sure every kind has one. */
const PARSERS: Readonly<
  Record<PaymentMethodKind, (input: Readonly<Record<string, unknown>>, now: Instant) => PaymentMethod>
> = {
  boleto: () => ({ method: 'boleto' }),
  credit_card: parseCreditCard,
  direct_debit: parseDirectDebit,
};

/**
 * Parses a payment method from untrusted input, as of `now` (to refuse an expired card). Refuses, with an
 * {@link InvalidValueError} that names the field but never repeats its value: anything that looks like a full
 * card number (13 or more digits in any field, or a `cardNumber`/`number`/`pan` field), a security code (`cvv`,
 * `cvc`, `securityCode`), a field the method does not have, `last4` other than 4 digits, a month outside 1–12, an
 * expiry month already past in America/Sao_Paulo, and a masked account showing more than 4 digits.
 */
export const parsePaymentMethod = (input: PaymentMethodInput, now: Instant): PaymentMethod => {
  refuseSecrets(input);
  const method = input.method;
  if (!isPaymentMethodKind(method)) {
    throw new InvalidValueError('method', `method must be one of ${PAYMENT_METHOD_KINDS.join(', ')}`);
  }
  const [unknown] = Object.keys(input).filter((field) => !FIELDS[method].includes(field));
  if (unknown !== undefined)
    throw new InvalidValueError(unknown, `${method} payments have no field ${unknown}`);
  return PARSERS[method](input, now);
};

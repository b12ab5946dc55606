import { InvalidValueError } from '../shared/domain-error';

/** An amount of BRL in integer cents, never negative. */
export type Cents = number & { readonly __brand: 'Cents' };

/** Zero cents. */
export const ZERO_CENTS = 0 as Cents;

/** Whether `value` is a safe, non-negative integer amount of cents. */
export const isCents = (value: unknown): value is Cents => Number.isSafeInteger(value) && Number(value) >= 0;

/** Parses an amount of cents (a safe non-negative integer) or throws {@link InvalidValueError} naming `field`. */
export const parseCents = (value: unknown, field: string): Cents => {
  if (!isCents(value))
    throw new InvalidValueError(field, `${field} must be a non-negative whole number of cents`);
  return value;
};

/** The sum of two amounts. */
export const addCents = (a: Cents, b: Cents): Cents => parseCents(a + b, 'amount');

/** The sum of any number of amounts (zero for none). */
export const sumCents = (amounts: readonly Cents[]): Cents => amounts.reduce(addCents, ZERO_CENTS);

/** `a` minus `b`; throws {@link InvalidValueError} when `b` is larger, since an amount is never negative. */
export const subtractCents = (a: Cents, b: Cents): Cents => parseCents(a - b, 'amount');

/** `amount` times a whole, non-negative `factor` (an annual price is twelve monthly instalments). */
export const multiplyCents = (amount: Cents, factor: number): Cents => parseCents(amount * factor, 'amount');

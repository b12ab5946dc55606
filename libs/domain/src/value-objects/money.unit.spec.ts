import { InvalidValueError } from '../shared/domain-error';
import {
  type Cents,
  addCents,
  isCents,
  multiplyCents,
  parseCents,
  subtractCents,
  sumCents,
  ZERO_CENTS,
} from './money';

const cents = (n: number): Cents => parseCents(n, 'amount');

describe('money', () => {
  it('parses safe non-negative integers', () => {
    expect(parseCents(0, 'priceCents')).toBe(0);
    expect(parseCents(1999, 'priceCents')).toBe(1999);
    expect(parseCents(Number.MAX_SAFE_INTEGER, 'priceCents')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])(
    'refuses %s naming the field',
    (value) => {
      expect(() => parseCents(value, 'priceCents')).toThrow(
        new InvalidValueError('priceCents', 'priceCents must be a non-negative whole number of cents'),
      );
      expect(() => parseCents(value, 'priceCents')).toThrow(
        expect.objectContaining({ field: 'priceCents' }) as Error,
      );
    },
  );

  it('refuses a number written as text', () => {
    expect(() => parseCents('2990', 'priceCents')).toThrow(
      expect.objectContaining({ field: 'priceCents' }) as Error,
    );
  });

  it('tells cents from other values', () => {
    expect(isCents(10)).toBe(true);
    expect(isCents('10')).toBe(false);
    expect(isCents(-10)).toBe(false);
  });

  it('adds, sums, subtracts and multiplies', () => {
    expect(ZERO_CENTS).toBe(0);
    expect(addCents(cents(150), cents(50))).toBe(200);
    expect(sumCents([])).toBe(0);
    expect(sumCents([cents(1), cents(2), cents(3)])).toBe(6);
    expect(subtractCents(cents(500), cents(200))).toBe(300);
    expect(subtractCents(cents(500), cents(500))).toBe(0);
    expect(multiplyCents(cents(2990), 12)).toBe(35880);
  });

  it('never yields a negative or fractional amount', () => {
    const amountError = new InvalidValueError(
      'amount',
      'amount must be a non-negative whole number of cents',
    );
    expect(() => subtractCents(cents(100), cents(101))).toThrow(amountError);
    expect(() => subtractCents(cents(100), cents(101))).toThrow(
      expect.objectContaining({ field: 'amount' }) as Error,
    );
    expect(() => multiplyCents(cents(100), -1)).toThrow(
      expect.objectContaining({ field: 'amount' }) as Error,
    );
    expect(() => addCents(cents(Number.MAX_SAFE_INTEGER), cents(1))).toThrow(
      expect.objectContaining({ field: 'amount' }) as Error,
    );
    expect(() => multiplyCents(cents(100), 1.5)).not.toThrow();
    expect(() => multiplyCents(cents(101), 0.5)).toThrow(InvalidValueError);
    expect(() => multiplyCents(cents(100), -1)).toThrow(InvalidValueError);
  });
});

import fc from 'fast-check';
import { InvalidValueError } from '../shared/domain-error';
import { parsePhoneNumber } from './phone-number';

const refused = (input: string): void => {
  expect(() => parsePhoneNumber(input)).toThrow(InvalidValueError);
  try {
    parsePhoneNumber(input);
  } catch (error) {
    expect((error as InvalidValueError).field).toBe('phone');
    expect((error as InvalidValueError).message).toBe(
      'phone must be a Brazilian number: +55, a two-digit area code and an 8-digit landline or 9-digit mobile',
    );
  }
};

const areaCode = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }))
  .map(([a, b]) => `${a}${b}`);
const mobile = fc.stringMatching(/^9\d{8}$/);
const landline = fc.stringMatching(/^[2-5]\d{7}$/);

describe('parsePhoneNumber', () => {
  it.each([11987654321, null, undefined, ['+5511987654321']])('refuses %p, which is not text', (input) => {
    expect(() => parsePhoneNumber(input)).toThrow(expect.objectContaining({ field: 'phone' }) as Error);
  });

  it.each([
    ['+55 (11) 98765-4321', '+5511987654321'],
    ['11987654321', '+5511987654321'],
    ['+5511987654321', '+5511987654321'],
    ['(21) 3456-7890', '+552134567890'],
    ['+55 99 2345.6789', '+559923456789'],
    ['+55 11 5555 0000', '+551155550000'],
    [' 11 98765 4321 ', '+5511987654321'],
  ])('normalises %s to %s', (input, expected) => {
    expect(parsePhoneNumber(input)).toBe(expected);
  });

  it.each([
    ['an empty string', ''],
    ['another country code', '+1 415 555 0100'],
    ['a 0 in the area code', '10987654321'],
    ['an area code starting with 0', '01987654321'],
    ['a mobile not starting with 9', '11887654321'],
    ['a landline starting with 1', '1112345678'],
    ['a landline starting with 6', '1162345678'],
    ['too short', '119876543'],
    ['too long', '119876543210'],
    ['letters', '11 9876A-4321'],
    ['a trunk prefix 0', '011987654321'],
    ['55 without the plus', '5511987654321'],
    ['a plus in the middle', '11+987654321'],
  ])('refuses %s', (_case, input) => refused(input));

  it('accepts every valid mobile and landline, written with or without +55, and is idempotent', () => {
    fc.assert(
      fc.property(areaCode, fc.oneof(mobile, landline), (ddd, number) => {
        const expected = `+55${ddd}${number}`;
        expect(parsePhoneNumber(`${ddd}${number}`)).toBe(expected);
        expect(parsePhoneNumber(`+55 (${ddd}) ${number.slice(0, -4)}-${number.slice(-4)}`)).toBe(expected);
        expect(parsePhoneNumber(parsePhoneNumber(expected))).toBe(expected);
      }),
    );
  });
});

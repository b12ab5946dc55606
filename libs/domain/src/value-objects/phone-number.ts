import { InvalidValueError } from '../shared/domain-error';

/**
 * A Brazilian phone number in E.164: `+55`, a two-digit area code (DDD, digits 1–9 only, so 11–99) and either an
 * 8-digit landline (starting 2–5, as Anatel numbers them) or a 9-digit mobile starting with 9.
 */
export type PhoneNumber = string & { readonly __brand: 'PhoneNumber' };

const PUNCTUATION = /[\s().-]/g;
const NATIONAL_NUMBER = /^[1-9]{2}(?:[2-5]\d{7}|9\d{8})$/;

/**
 * Normalises a Brazilian number written with or without `+55`, spaces, parentheses, dots and hyphens
 * (`+55 (11) 98765-4321`, `11987654321`, `+5511987654321`) to E.164 (`+5511987654321`).
 * Throws {@link InvalidValueError} on field `phone` for anything else.
 */
export const parsePhoneNumber = (input: unknown): PhoneNumber => {
  const compact = typeof input === 'string' ? input.replace(PUNCTUATION, '') : '';
  const national = compact.startsWith('+55') ? compact.slice(3) : compact;
  if (!NATIONAL_NUMBER.test(national)) {
    throw new InvalidValueError(
      'phone',
      'phone must be a Brazilian number: +55, a two-digit area code and an 8-digit landline or 9-digit mobile',
    );
  }
  return `+55${national}` as PhoneNumber;
};

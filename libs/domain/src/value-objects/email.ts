import { InvalidValueError } from '../shared/domain-error';

/** An e-mail address, trimmed and lower-cased, so two spellings of one address compare equal. */
export type Email = string & { readonly __brand: 'Email' };

const MAX_LENGTH = 254;
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Parses an e-mail address: trimmed, lower-cased, one `@`, a dot-atom local part of at most 64 characters and a
 * domain of dot-separated labels ending in an alphabetic top-level domain. Throws {@link InvalidValueError} on
 * field `email` otherwise.
 */
export const parseEmail = (input: unknown): Email => {
  const email = typeof input === 'string' ? input.trim().toLowerCase() : '';
  const parts = email.split('@');
  const [local, domain] = parts;
  const valid =
    parts.length === 2 &&
    email.length <= MAX_LENGTH &&
    String(local).length <= 64 &&
    LOCAL_PART.test(String(local)) &&
    DOMAIN.test(String(domain));
  if (!valid) throw new InvalidValueError('email', 'email must be a valid e-mail address');
  return email as Email;
};

/** The domain of an e-mail address (`cliente@exemplo.com.br` → `exemplo.com.br`). */
export const emailDomain = (email: Email): string => email.slice(email.lastIndexOf('@') + 1);

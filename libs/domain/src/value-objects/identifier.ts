import { InvalidValueError } from '../shared/domain-error';

const IDENTIFIER = /^[\x21-\x7e]{1,200}$/;

/**
 * Parses the id of an entity (a contract, service, invoice, invitation, contact…): 1 to 200 visible ASCII
 * characters, no spaces, as the ids the API gives out and the deterministic ids the system builds are. Throws
 * {@link InvalidValueError} naming `field` otherwise.
 */
export const parseIdentifier = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new InvalidValueError(field, `${field} must be 1 to 200 visible characters without spaces`);
  }
  return value;
};

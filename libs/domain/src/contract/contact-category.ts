import { InvalidValueError } from '../shared/domain-error';

/**
 * The categories of notification a contact receives. Contacts are not users: they cannot log in, they only get
 * the e-mails of their categories (invoices and payments; incidents and tickets; offers and orders).
 */
export const CONTACT_CATEGORIES = ['billing', 'technical', 'commercial'] as const;

/** One of {@link CONTACT_CATEGORIES}. */
export type ContactCategory = (typeof CONTACT_CATEGORIES)[number];

/**
 * Parses a contact's categories: at least one, each known; duplicates dropped, canonical order. Throws
 * {@link InvalidValueError} on field `categories` otherwise.
 */
export const parseContactCategories = (input: readonly string[]): readonly ContactCategory[] => {
  const names: unknown = input;
  if (!Array.isArray(names)) throw new InvalidValueError('categories', 'categories must be a list');
  const categories = CONTACT_CATEGORIES.filter((category) => input.includes(category));
  if (
    categories.length === 0 ||
    input.some((name) => !(CONTACT_CATEGORIES as readonly string[]).includes(name))
  ) {
    throw new InvalidValueError(
      'categories',
      `categories must be one or more of ${CONTACT_CATEGORIES.join(', ')}`,
    );
  }
  return categories;
};

import { InvalidValueError } from '../shared/domain-error';

/**
 * The 13 permissions a contract user can hold, in their canonical order. The owner holds every one.
 * `main-account` reads and changes the contract profile; `billing` covers invoices, payment methods and notas
 * fiscais; `tickets` also covers call-back requests; `orders` covers new orders and cancellations.
 */
export const PERMISSIONS = [
  'main-account',
  'contacts',
  'services.view',
  'services.manage',
  'services.sso',
  'domains.view',
  'domains.manage',
  'billing',
  'quotes',
  'tickets',
  'affiliate',
  'communications',
  'orders',
] as const;

/** One of the 13 {@link PERMISSIONS}. */
export type Permission = (typeof PERMISSIONS)[number];

/** Whether `value` names one of the 13 permissions. */
export const isPermission = (value: unknown): value is Permission =>
  (PERMISSIONS as readonly unknown[]).includes(value);

/**
 * Parses a list of permission names: an unknown name is refused ({@link InvalidValueError} on `permissions`),
 * duplicates are dropped and the result is in the canonical order of {@link PERMISSIONS}, so two lists naming
 * the same permissions parse to equal arrays.
 */
export const parsePermissions = (input: readonly string[]): readonly Permission[] => {
  const names: unknown = input;
  if (!Array.isArray(names)) throw new InvalidValueError('permissions', 'permissions must be a list');
  const unknown = input.filter((name) => !isPermission(name));
  if (unknown.length > 0) {
    throw new InvalidValueError('permissions', `unknown permission(s): ${unknown.join(', ')}`);
  }
  return PERMISSIONS.filter((permission) => input.includes(permission));
};

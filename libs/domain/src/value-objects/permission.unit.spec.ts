import fc from 'fast-check';
import { InvalidValueError } from '../shared/domain-error';
import { isPermission, parsePermissions, PERMISSIONS } from './permission';

describe('permissions', () => {
  it('are the 13 of the provider', () => {
    expect(PERMISSIONS).toEqual([
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
    ]);
  });

  it('recognises permission names only', () => {
    expect(isPermission('billing')).toBe(true);
    expect(isPermission('Billing')).toBe(false);
    expect(isPermission(undefined)).toBe(false);
  });

  it('parses into canonical order without duplicates', () => {
    expect(parsePermissions(['tickets', 'billing', 'tickets', 'main-account'])).toEqual([
      'main-account',
      'billing',
      'tickets',
    ]);
    expect(parsePermissions([])).toEqual([]);
  });

  it('refuses anything but a list', () => {
    expect(() => parsePermissions('billing' as never)).toThrow(
      new InvalidValueError('permissions', 'permissions must be a list'),
    );
  });

  it('refuses unknown names, naming them', () => {
    expect(() => parsePermissions(['billing', 'root', 'sudo'])).toThrow(
      new InvalidValueError('permissions', 'unknown permission(s): root, sudo'),
    );
    expect(() => parsePermissions(['root'])).toThrow(
      expect.objectContaining({ field: 'permissions' }) as Error,
    );
  });

  it('is idempotent and order-insensitive', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PERMISSIONS)), (names) => {
        const parsed = parsePermissions(names);
        expect(parsePermissions(parsed)).toEqual(parsed);
        expect(parsePermissions([...names].reverse())).toEqual(parsed);
        expect(new Set(parsed)).toEqual(new Set(names));
      }),
    );
  });
});

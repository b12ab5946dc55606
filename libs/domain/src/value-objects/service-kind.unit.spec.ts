import {
  graceClassOf,
  isServiceKind,
  parseServiceKind,
  SERVICE_KINDS,
  suspensionDate,
  terminationDate,
} from './service-kind';

/** Matches a thrown error by its fields (code, details, message). */
const failure = (fields: object): Error => expect.objectContaining(fields) as Error;

describe('service kind', () => {
  it('parses the six kinds and refuses anything else', () => {
    for (const kind of SERVICE_KINDS) expect(parseServiceKind(kind)).toBe(kind);
    expect(isServiceKind('vps')).toBe(false);
    expect(isServiceKind(undefined)).toBe(false);
    expect(() => parseServiceKind('vps')).toThrow(
      failure({
        code: 'VALIDATION_FAILED',
        details: { field: 'kind' },
        message:
          'kind must be one of shared_hosting, reseller_hosting, cloud_server, dedicated_server, domain, addon',
      }),
    );
  });

  it('puts shared, reseller and domain in the shared class, cloud and dedicated in the server class', () => {
    expect(graceClassOf('shared_hosting')).toBe('shared');
    expect(graceClassOf('reseller_hosting')).toBe('shared');
    expect(graceClassOf('domain')).toBe('shared');
    expect(graceClassOf('cloud_server')).toBe('server');
    expect(graceClassOf('dedicated_server')).toBe('server');
  });

  it("gives an add-on its parent's class, and needs the parent kind", () => {
    expect(graceClassOf('addon', 'domain')).toBe('shared');
    expect(graceClassOf('addon', 'cloud_server')).toBe('server');
    expect(() => graceClassOf('addon')).toThrow(failure({ details: { field: 'parentKind' } }));
  });

  describe('suspensionDate', () => {
    it('is the 10th day after the original due date for shared kinds', () => {
      expect(suspensionDate('shared_hosting', '2024-02-25')).toBe('2024-03-06');
      expect(suspensionDate('reseller_hosting', '2023-02-25')).toBe('2023-03-07');
      expect(suspensionDate('domain', '2024-12-31')).toBe('2025-01-10');
      expect(suspensionDate('addon', '2024-01-01', 'shared_hosting')).toBe('2024-01-11');
    });
    it('is the 3rd day after for cloud and dedicated servers and their add-ons', () => {
      expect(suspensionDate('cloud_server', '2024-02-28')).toBe('2024-03-02');
      expect(suspensionDate('dedicated_server', '2024-01-01')).toBe('2024-01-04');
      expect(suspensionDate('addon', '2024-01-01', 'dedicated_server')).toBe('2024-01-04');
    });
  });

  describe('terminationDate', () => {
    it('is 3 calendar months after suspension for shared kinds, clamped at month end', () => {
      expect(terminationDate('shared_hosting', '2024-01-15')).toBe('2024-04-15');
      expect(terminationDate('domain', '2023-11-30')).toBe('2024-02-29');
      expect(terminationDate('addon', '2024-01-15', 'reseller_hosting')).toBe('2024-04-15');
    });
    it('is 7 days after suspension for cloud and dedicated servers', () => {
      expect(terminationDate('cloud_server', '2024-02-25')).toBe('2024-03-03');
      expect(terminationDate('dedicated_server', '2024-12-28')).toBe('2025-01-04');
      expect(terminationDate('addon', '2024-02-25', 'cloud_server')).toBe('2024-03-03');
    });
  });

  it('explains a missing parent kind', () => {
    expect(() => suspensionDate('addon', '2024-01-01')).toThrow('an add-on needs its parent kind');
  });
});

import { InvalidValueError } from '../shared/domain-error';
import { parseIdentifier } from './identifier';

describe('parseIdentifier', () => {
  it.each(['c-1', '0b6f3a2e-6f3b-4c1e-9a57-2f1d8f0c9a11', 'issue:svc-1:2024-03-01', 'x'.repeat(200)])(
    'accepts %s',
    (id) => {
      expect(parseIdentifier(id, 'serviceId')).toBe(id);
    },
  );

  it.each([
    ['empty', ''],
    ['blank', '  '],
    ['with a space inside', 'svc 1'],
    ['longer than 200 characters', 'x'.repeat(201)],
    ['not ASCII', 'serviço'],
    ['not a string', 42],
  ])('refuses an id %s, naming the field', (_case, id) => {
    expect(() => parseIdentifier(id, 'serviceId')).toThrow(
      new InvalidValueError('serviceId', 'serviceId must be 1 to 200 visible characters without spaces'),
    );
    expect(() => parseIdentifier(id, 'serviceId')).toThrow(
      expect.objectContaining({ details: { field: 'serviceId' } }) as Error,
    );
  });
});

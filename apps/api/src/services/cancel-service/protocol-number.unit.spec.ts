import { protocolNumberFor } from './protocol-number';

describe('protocolNumberFor', () => {
  it('is 16 digits, the same for the same command id', () => {
    const number = protocolNumberFor('3f0c8a4e-2b1d-4e5f-9a6b-7c8d9e0f1a2b');
    expect(number).toMatch(/^\d{16}$/);
    expect(protocolNumberFor('3f0c8a4e-2b1d-4e5f-9a6b-7c8d9e0f1a2b')).toBe(number);
  });

  it('differs between command ids', () => {
    const numbers = new Set(Array.from({ length: 1000 }, (_, i) => protocolNumberFor(`command-${i}`)));
    expect(numbers.size).toBe(1000);
  });
});

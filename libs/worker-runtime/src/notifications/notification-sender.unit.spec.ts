import { messageIdDomain, retryDelayMs } from './notification-sender';
import { maskedAddress } from './notification-transport';

describe('the notification sender rules', () => {
  const policy = { maxAttempts: 8, retryBaseMs: 60_000, retryMaxMs: 3_600_000, leaseMs: 300_000 };

  it('waits the base after the first failed attempt, twice as long after each further one, up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 60].map((attempt) => retryDelayMs(policy, attempt))).toEqual([
      60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
  });

  it.each([
    ['Área do Cliente <avisos@Hospedagem.example>', 'hospedagem.example'],
    ['avisos@hospedagem.example', 'hospedagem.example'],
    ['sem endereço', 'localhost'],
  ])('names the Message-IDs of %s after %s', (from, domain) => {
    expect(messageIdDomain(from)).toBe(domain);
  });

  it.each([
    ['ana@exemplo.com.br', 'a***@exemplo.com.br'],
    ['x@y.z', 'x***@y.z'],
    ['not-an-address', '***'],
  ])('masks %s as %s in the log', (address, masked) => {
    expect(maskedAddress(address)).toBe(masked);
  });
});

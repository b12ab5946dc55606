import { parsePhoneNumber, parseTaxDocument } from '@app/domain';
import { DEMO_CALLERS, verifyAccessToken } from '@app/platform';
import { DEMO_CONTRACT, demoTokens, startupBanner } from './startup-banner';

const secret = 'banner-test-secret-long-enough';

describe('startupBanner', () => {
  it('in embedded mode, prints the URLs, a working token per staff role and the customer, and a curl line', async () => {
    const tokens = await demoTokens(secret);
    const lines = startupBanner({
      url: 'http://localhost:3000',
      storage: 'postgres on embedded PGlite in /srv/data',
      workerInProcess: true,
      tokens,
    });
    expect(lines[0]).toBe(
      'Área do Cliente API listening on http://localhost:3000; event store: postgres on embedded PGlite in /srv/data; worker running in this process',
    );
    expect(lines).toContain(
      'OpenAPI: http://localhost:3000/docs (JSON: http://localhost:3000/docs/openapi.json)',
    );
    for (const role of ['admin', 'billing', 'support', 'auditor', 'analyst', 'customer'] as const) {
      const line = lines.find((text) => text.trimStart().startsWith(`${role} `));
      expect(line).toContain(DEMO_CALLERS[role].email);
      const token = line!.split(' ').pop()!;
      await expect(verifyAccessToken(secret, token)).resolves.toEqual(DEMO_CALLERS[role]);
    }
    const curl = lines[lines.length - 1]!;
    expect(curl).toBe(
      `curl -X POST http://localhost:3000/contracts -H 'Authorization: Bearer ${tokens.customer}' ` +
        `-H 'Content-Type: application/json' -d '{"holderName":"Maria Silva","document":"529.982.247-25","phones":["+5511987654321"]}'`,
    );
  });

  it('offers a contract the domain accepts: a valid CPF and E.164 phones', () => {
    expect(parseTaxDocument(DEMO_CONTRACT.document)).toEqual({ kind: 'cpf', number: '52998224725' });
    for (const phone of DEMO_CONTRACT.phones) expect(parsePhoneNumber(phone)).toBe(phone);
  });

  it('prints no token when a Postgres server is configured, only how to mint one', () => {
    const lines = startupBanner({
      url: 'http://localhost:8080',
      storage: 'eventstoredb',
      workerInProcess: false,
    });
    expect(lines.join('\n')).not.toMatch(/eyJ/);
    expect(lines[0]).not.toContain('worker');
    expect(lines[lines.length - 1]).toMatch(/^Bearer tokens: npm run -s cli -- token/);
  });
});

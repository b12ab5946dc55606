import { decodeJwt, decodeProtectedHeader } from 'jose';
import { InvalidAccessTokenError, signAccessToken, verifyAccessToken } from './access-token';
import type { Caller } from './caller';

const secret = 'unit-test-secret-with-enough-length';
const caller: Caller = { userId: 'user-1', email: 'ana@example.com', roles: ['customer', 'billing'] };

describe('access tokens', () => {
  it('verifies what it signs, giving back the caller', async () => {
    const token = await signAccessToken(secret, caller);
    await expect(verifyAccessToken(secret, token)).resolves.toEqual(caller);
  });

  it('signs HS256 with sub, email, roles, iat and an expiry 12 hours out by default', async () => {
    const token = await signAccessToken(secret, caller);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'user-1', email: 'ana@example.com', roles: ['customer', 'billing'] });
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
  });

  it('takes the validity as a duration or in seconds', async () => {
    const thirtyMinutes = decodeJwt(await signAccessToken(secret, caller, '30m'));
    expect(thirtyMinutes.exp! - thirtyMinutes.iat!).toBe(1800);
    const ninety = decodeJwt(await signAccessToken(secret, caller, 90));
    expect(ninety.exp! - ninety.iat!).toBe(90);
  });

  it('refuses a token signed with another secret', async () => {
    const token = await signAccessToken('some-other-secret-of-enough-length', caller);
    await expect(verifyAccessToken(secret, token)).rejects.toEqual(
      new InvalidAccessTokenError('its signature does not verify'),
    );
  });

  it('refuses a token that expired a second ago', async () => {
    const token = await signAccessToken(secret, caller, -1);
    await expect(verifyAccessToken(secret, token)).rejects.toEqual(
      new InvalidAccessTokenError('it has expired'),
    );
  });

  it('gives each role once', async () => {
    const token = await signAccessToken(secret, { ...caller, roles: ['admin', 'admin'] });
    await expect(verifyAccessToken(secret, token)).resolves.toMatchObject({ roles: ['admin'] });
  });

  it.each([
    ['a subject with a space', { ...caller, userId: 'user 1' }],
    ['a subject of 129 characters', { ...caller, userId: 'u'.repeat(129) }],
    ['an e-mail without @', { ...caller, email: 'ana.example.com' }],
  ])('refuses %s', async (_case, odd) => {
    const token = await signAccessToken(secret, odd);
    await expect(verifyAccessToken(secret, token)).rejects.toBeInstanceOf(InvalidAccessTokenError);
  });
});

import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  AccessTokenVerifier,
  InvalidAccessTokenError,
  signAccessToken,
  verifyAccessToken,
} from './access-token';
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

describe('the access token verifier', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  const signatureChecks = () => jest.spyOn(crypto.subtle, 'verify');

  it('checks a token once and answers the same caller while it is valid', async () => {
    const checks = signatureChecks();
    const verifier = new AccessTokenVerifier(secret);
    const token = await signAccessToken(secret, caller);
    await expect(verifier.verify(token)).resolves.toEqual(caller);
    await expect(verifier.verify(token)).resolves.toEqual(caller);
    expect(checks).toHaveBeenCalledTimes(1);
  });

  it('refuses a remembered token from the second its expiry is reached', async () => {
    jest.useFakeTimers({
      now: new Date('2028-02-29T02:59:59.000Z'),
      doNotFake: ['nextTick', 'setImmediate'],
    });
    const verifier = new AccessTokenVerifier(secret);
    const token = await signAccessToken(secret, caller, 60);
    await expect(verifier.verify(token)).resolves.toEqual(caller);
    jest.setSystemTime(new Date('2028-02-29T03:00:58.999Z'));
    await expect(verifier.verify(token)).resolves.toEqual(caller);
    jest.setSystemTime(new Date('2028-02-29T03:00:59.000Z'));
    await expect(verifier.verify(token)).rejects.toEqual(new InvalidAccessTokenError('it has expired'));
  });

  it('never remembers a refusal, nor lets a changed signature ride on a valid token', async () => {
    const verifier = new AccessTokenVerifier(secret);
    const token = await signAccessToken(secret, caller);
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(verifier.verify(`${header}.${payload}.${flipped}`)).rejects.toBeInstanceOf(
        InvalidAccessTokenError,
      );
    }
    const other = await signAccessToken('some-other-secret-of-enough-length', caller);
    await expect(verifier.verify(other)).rejects.toEqual(
      new InvalidAccessTokenError('its signature does not verify'),
    );
  });

  it('remembers at most its capacity, forgetting the oldest first', async () => {
    const checks = signatureChecks();
    const verifier = new AccessTokenVerifier(secret, 2);
    const tokens = await Promise.all(
      ['u-1', 'u-2', 'u-3'].map((userId) => signAccessToken(secret, { ...caller, userId })),
    );
    for (const token of tokens) await verifier.verify(token);
    expect(checks).toHaveBeenCalledTimes(3);
    await verifier.verify(tokens[2]!);
    await verifier.verify(tokens[1]!);
    expect(checks).toHaveBeenCalledTimes(3);
    await expect(verifier.verify(tokens[0]!)).resolves.toMatchObject({ userId: 'u-1' });
    expect(checks).toHaveBeenCalledTimes(4);
  });
});

import { errors, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { isRole, type Caller } from './caller';

/** The only algorithm a token may be signed with: `none`, RS*, ES* and the rest are refused. */
const ALGORITHM = 'HS256';

/** A bearer token that does not prove who the caller is. `reason` completes "the token is not valid: …". */
export class InvalidAccessTokenError extends Error {
  constructor(readonly reason: string) {
    super(`Invalid access token: ${reason}`);
    this.name = 'InvalidAccessTokenError';
  }
}

const keyOf = (secret: string): Uint8Array => new TextEncoder().encode(secret);

/** Printable ASCII without spaces: a subject ends up in event metadata and ids derived from it. */
const SUBJECT = /^[\x21-\x7e]{1,128}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}$/;

const reasonFor = (error: unknown): string => {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JOSEAlgNotAllowed) return `it is not signed with ${ALGORITHM}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `its "${error.claim}" claim is missing or wrong`;
  return 'it is not a well-formed signed JWT';
};

type VerifiedToken = Readonly<{ caller: Caller; expiresAtMs: number }>;

const verifyWithKey = async (key: Uint8Array | CryptoKey, token: string): Promise<VerifiedToken> => {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    throw new InvalidAccessTokenError(reasonFor(error));
  }
  const { sub, email, roles, exp } = payload;
  if (typeof sub !== 'string' || !SUBJECT.test(sub)) {
    throw new InvalidAccessTokenError('its "sub" claim is not a user id');
  }
  if (typeof email !== 'string' || !EMAIL.test(email)) {
    throw new InvalidAccessTokenError('its "email" claim is not an e-mail address');
  }
  if (!Array.isArray(roles) || roles.length === 0) {
    throw new InvalidAccessTokenError('its "roles" claim is not a list of roles');
  }
  if (!roles.every(isRole)) throw new InvalidAccessTokenError('it names a role the API does not know');
  const caller: Caller = Object.freeze({
    userId: sub,
    email,
    roles: Object.freeze([...new Set(roles)]),
  });
  // jose refuses a token once the clock reaches `exp` (whole seconds); a remembered one stops at the same instant.
  return { caller, expiresAtMs: Number(exp) * 1000 };
};

/**
 * Verifies a bearer token (HS256 with `secret`, unexpired, `exp` required) and reads the caller from it:
 * `sub`, `email` and `roles`, a non-empty array of known roles.
 * @throws InvalidAccessTokenError for any token that does not verify or whose claims are not what we issue.
 */
export const verifyAccessToken = async (secret: string, token: string): Promise<Caller> =>
  (await verifyWithKey(keyOf(secret), token)).caller;

/** How many verified tokens an {@link AccessTokenVerifier} remembers by default. */
export const VERIFIED_TOKENS_REMEMBERED = 10_000;

/**
 * {@link verifyAccessToken} for a server: the key is imported once, and a token that verified is remembered
 * (the token's whole text, signature included, is the key) until it expires, so a portal's every request does not
 * pay the signature check again. Only tokens that verified are kept, at most `capacity` of them (the oldest go
 * first); one that failed is checked anew each time.
 */
export class AccessTokenVerifier {
  private readonly verified = new Map<string, VerifiedToken>();
  private key: Promise<CryptoKey> | undefined;

  constructor(
    private readonly secret: string,
    private readonly capacity = VERIFIED_TOKENS_REMEMBERED,
  ) {}

  async verify(token: string): Promise<Caller> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (Date.now() < known.expiresAtMs) return known.caller;
      this.verified.delete(token);
    }
    const verified = await verifyWithKey(await this.importedKey(), token);
    if (this.verified.size >= this.capacity) {
      const oldest = this.verified.keys().next();
      if (oldest.done !== true) this.verified.delete(oldest.value);
    }
    this.verified.set(token, verified);
    return verified.caller;
  }

  private importedKey(): Promise<CryptoKey> {
    this.key ??= crypto.subtle.importKey(
      'raw',
      keyOf(this.secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    return this.key;
  }
}

/**
 * Signs a token for `caller` with `secret` (HS256), valid for `expiresIn`: a duration such as `12h`, `30m` or
 * `7 days`, or seconds. What the CLI and the start-up banner hand out.
 */
export const signAccessToken = async (
  secret: string,
  caller: Caller,
  expiresIn: string | number = '12h',
): Promise<string> => {
  const token = new SignJWT({ email: caller.email, roles: [...caller.roles] })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(caller.userId)
    .setIssuedAt();
  const expiry = typeof expiresIn === 'number' ? `${expiresIn}s` : expiresIn;
  return token.setExpirationTime(expiry).sign(keyOf(secret));
};

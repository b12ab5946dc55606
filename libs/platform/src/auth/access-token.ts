import { errors, jwtVerify, SignJWT } from 'jose';
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

/**
 * Verifies a bearer token (HS256 with `secret`, unexpired, `exp` required) and reads the caller from it:
 * `sub`, `email` and `roles`, a non-empty array of known roles.
 * @throws InvalidAccessTokenError for any token that does not verify or whose claims are not what we issue.
 */
export const verifyAccessToken = async (secret: string, token: string): Promise<Caller> => {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: [ALGORITHM],
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    throw new InvalidAccessTokenError(reasonFor(error));
  }
  const { sub, email, roles } = payload;
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
  return { userId: sub, email, roles: [...new Set(roles)] };
};

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

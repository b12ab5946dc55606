import { StoreUnavailableError } from '@app/event-store';

/** Socket errors of a database or store that is down, restarting or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Postgres SQLSTATEs that say the server, not the request, is the problem: class 08 (connection exception),
 * 57P01–57P03 (shutting down, crashed, not accepting connections yet), 57014 (statement timeout),
 * 53300 (too many connections).
 */
const isUnavailableSqlState = (code: string): boolean =>
  /^08[0-9A-Z]{3}$/.test(code) || ['57P01', '57P02', '57P03', '57014', '53300'].includes(code);

/** pg, pg-pool, PGlite and Kysely say "the connection is gone" only in words. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /is not queryable$/,
  /^Query read timeout$/,
  /^Cannot use a pool after calling end on the pool$/,
  /^PGlite is clos(ed|ing)$/,
  /^driver has already been destroyed$/,
];

const codeOf = (error: object): string | undefined => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * True when the error says a dependency (the event store, the database) could not answer, rather than that
 * the request or our code is wrong: the answer is then 503 DEPENDENCY_UNAVAILABLE, never 500. Looks through
 * `cause` and an AggregateError's errors (a connection attempt to several addresses).
 */
export const isDependencyUnavailable = (error: unknown, depth = 0): boolean => {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (error instanceof StoreUnavailableError) return true;
  const code = codeOf(error);
  if (code !== undefined && (NETWORK_CODES.has(code) || isUnavailableSqlState(code))) return true;
  if (error instanceof Error && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message)))
    return true;
  if (
    error instanceof AggregateError &&
    error.errors.some((inner) => isDependencyUnavailable(inner, depth + 1))
  )
    return true;
  return error instanceof Error && isDependencyUnavailable(error.cause, depth + 1);
};

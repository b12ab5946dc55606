import { StoreUnavailableError } from '../concurrency-error';

/** Node socket errors that mean the server is not reachable (now). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * SQLSTATEs of a server that can't serve: connection exceptions (class 08), shutdown or not accepting
 * connections yet (57P01–57P03), too many connections (53300).
 */
const isUnavailableSqlState = (code: string): boolean =>
  code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';

/** Messages of the pg driver and PGlite that carry no code. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client was closed and is not queryable',
  'Client has encountered a connection error and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'PGlite is closed',
];

/** Whether an error from pg or PGlite means the database could not be reached or answer, not that a query is wrong. */
export const isConnectionFailure = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || isUnavailableSqlState(code))) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((known) => message.includes(known));
};

/** Runs a database call, turning a connection failure into the port's StoreUnavailableError. */
export const unlessUnavailable = async <T>(call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    if (isConnectionFailure(error)) {
      throw new StoreUnavailableError('The event store database cannot be reached', { cause: error });
    }
    throw error;
  }
};

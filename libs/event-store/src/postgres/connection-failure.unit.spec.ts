import { StoreUnavailableError } from '../concurrency-error';
import { isConnectionFailure, unlessUnavailable } from './connection-failure';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('telling a database that cannot be reached from a query that is wrong', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '08006', '08001', '57P01', '57P03', '53300'])(
    'counts %s as unavailable',
    (code) => expect(isConnectionFailure(withCode(code))).toBe(true),
  );

  it.each([
    'Connection terminated unexpectedly',
    'timeout exceeded when trying to connect',
    'PGlite is closed',
  ])('counts "%s" as unavailable', (message) => expect(isConnectionFailure(new Error(message))).toBe(true));

  it.each(['23505', '42P01', '40001', '22P02', '57014'])('counts SQLSTATE %s as a query error', (code) =>
    expect(isConnectionFailure(withCode(code))).toBe(false),
  );

  it('counts anything else as a query error', () => {
    expect(isConnectionFailure(new Error('syntax error at or near "selec"'))).toBe(false);
    expect(isConnectionFailure('ECONNRESET')).toBe(false);
    expect(isConnectionFailure(undefined)).toBe(false);
  });

  it('turns only a connection failure into StoreUnavailableError, keeping its cause', async () => {
    const cut = withCode('ECONNRESET');
    const refused = await unlessUnavailable(() => Promise.reject(cut)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect((refused as Error).cause).toBe(cut);
    const wrong = withCode('42P01');
    await expect(unlessUnavailable(() => Promise.reject(wrong))).rejects.toBe(wrong);
    await expect(unlessUnavailable(() => Promise.resolve(7))).resolves.toBe(7);
  });
});

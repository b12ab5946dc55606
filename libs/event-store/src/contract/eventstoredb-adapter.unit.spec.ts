import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { ConcurrencyError, StoreUnavailableError } from '../concurrency-error';
import { isStoreUnavailability, toStoreError } from '../eventstoredb/eventstoredb-errors';

// The pure parts of the EventStoreDB adapter, run without a server. They live here rather than beside the
// adapter because jest.config.js leaves out every file under eventstoredb/ when no server is configured.

type ServiceError = ConstructorParameters<typeof NotLeaderError>[0];

/** A gRPC call's error as @grpc/grpc-js reports it (the client's error classes wrap one). */
const serviceError = (code: number, details: string, metadata: Record<string, string> = {}): ServiceError =>
  Object.assign(new Error(`${code} ${details}`), {
    code,
    details,
    metadata: { getMap: () => metadata },
  }) as unknown as ServiceError;

describe('EventStoreDB errors', () => {
  describe('mean the store is unavailable', () => {
    it.each([
      ['an unreachable server', new UnavailableError(serviceError(14, 'No connection established'))],
      ['a passed deadline', new DeadlineExceededError(serviceError(4, 'Deadline exceeded'))],
      ['the timeout of a batch append', new DeadlineExceededError()],
      ['a write that timed out on the server', new TimeoutError(serviceError(10, 'Operation timed out'))],
      ['a call the server cancelled', new CancelledError(serviceError(1, 'Cancelled on server'))],
      [
        'a follower',
        new NotLeaderError(
          serviceError(5, 'Leader info available', {
            exception: 'not-leader',
            'leader-endpoint-host': 'node2',
            'leader-endpoint-port': '2113',
          }),
        ),
      ],
      ['an unrecognised batch append answer', new UnknownError()],
      ['an internal server error', new UnknownError(serviceError(13, 'Received RST_STREAM'))],
      ['a raw gRPC error the client did not convert', serviceError(14, 'Connection dropped')],
      ['a cluster that cannot be discovered', new Error('Failed to discover after 10 attempts.')],
    ])('%s', (_, error) => {
      expect(isStoreUnavailability(error)).toBe(true);
      const mapped = toStoreError(error, 'append to service-1');
      expect(mapped).toBeInstanceOf(StoreUnavailableError);
      expect(mapped).toMatchObject({ cause: error });
      expect((mapped as Error).message).toContain('append to service-1');
    });
  });

  describe('are passed on as they are when the request itself is wrong', () => {
    it.each([
      [
        'a conflict',
        new WrongExpectedVersionError(undefined, { streamName: 's', current: 1n, expected: 0n }),
      ],
      ['a missing stream', new StreamNotFoundError(undefined, 's')],
      ['access denied', new AccessDeniedError(serviceError(16, 'Unauthenticated'))],
      ['an invalid argument', new UnknownError(serviceError(3, 'Invalid regex'))],
      ['a raw gRPC error about the request', serviceError(7, 'Permission denied')],
      ['our own conflict', new ConcurrencyError('s', 0, 1)],
      ['a bug', new TypeError('x is undefined')],
      ['a thrown string', 'Impossible situation where id is undefined in a recorded event'],
    ])('%s', (_, error) => {
      expect(isStoreUnavailability(error)).toBe(false);
      expect(toStoreError(error, 'append to s')).toBe(error);
    });
  });

  it('keeps a StoreUnavailableError instead of wrapping it again', () => {
    const unavailable = new StoreUnavailableError('down');
    expect(toStoreError(unavailable, 'read s')).toBe(unavailable);
  });
});

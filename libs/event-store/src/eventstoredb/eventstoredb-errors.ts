import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  convertToCommandError,
  isCommandError,
} from '@eventstore/db-client';
import { StoreUnavailableError } from '../concurrency-error';

// gRPC status codes (grpc/doc/statuscodes.md) under which the client's UnknownError means the server answered at all.
const GRPC_UNKNOWN = 2;
const GRPC_INTERNAL = 13;

/** Client/discovery.js gives up on a cluster's gossip with a plain Error, the only one not typed. */
const DISCOVERY_FAILED = /^Failed to discover after \d+ attempts\.$/;

/** A gRPC ServiceError the client let through unconverted (append.js rejects with its call's raw error). */
const isRawServiceError = (error: Error): boolean =>
  !isCommandError(error) &&
  typeof (error as { code?: unknown }).code === 'number' &&
  typeof (error as { details?: unknown }).details === 'string';

/**
 * Whether an error of @eventstore/db-client means the store could not answer now (so the same request may work
 * later): no connection or a dropped one, a passed deadline, a server that is busy, not ready, shutting down or
 * not the leader. The client reports those as UnavailableError (UNAVAILABLE: unreachable, "Server Is Not
 * Ready", "Server Is Too Busy"), DeadlineExceededError (DEADLINE_EXCEEDED, or the server's own Timeout of a batch
 * append), TimeoutError (ABORTED: a write that timed out on the server), CancelledError (the server cancelled),
 * NotLeaderError, and UnknownError for an answer it does not recognise (a batch append's Unknown, INTERNAL).
 * Errors about the request itself (access denied, an invalid argument, a stream that is not found) are not.
 */
export const isStoreUnavailability = (error: unknown): boolean => {
  if (error instanceof StoreUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const converted = isRawServiceError(error) ? convertToCommandError(error) : error;
  if (
    converted instanceof UnavailableError ||
    converted instanceof DeadlineExceededError ||
    converted instanceof TimeoutError ||
    converted instanceof CancelledError ||
    converted instanceof NotLeaderError
  ) {
    return true;
  }
  if (converted instanceof UnknownError) {
    const code: number | undefined = converted.code;
    return code === undefined || code === GRPC_UNKNOWN || code === GRPC_INTERNAL;
  }
  return DISCOVERY_FAILED.test(converted.message);
};

/** The error a port method throws for `error`: a StoreUnavailableError (caused by it) or `error` as it is. */
export const toStoreError = (error: unknown, doing: string): unknown => {
  if (error instanceof StoreUnavailableError || !isStoreUnavailability(error)) return error;
  // The client's errors made from a batch append's answer (DeadlineExceededError, UnknownError) have no message.
  const { message, constructor } = error as Error;
  return new StoreUnavailableError(`EventStoreDB could not ${doing}: ${message || constructor.name}`, {
    cause: error,
  });
};

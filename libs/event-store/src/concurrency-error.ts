import type { CurrentRevision, ExpectedRevision } from './event-store.port';

/** The stream was not at the revision the writer expected: someone else appended first. */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: CurrentRevision,
  ) {
    super(`Stream ${streamName} was expected at ${String(expected)} but is at ${String(actual)}`);
    this.name = 'ConcurrencyError';
  }
}

/** Some of the appended event ids are already stored, but not as the same append: a caller bug, never retried. */
export class EventIdConflictError extends Error {
  constructor(readonly streamName: string) {
    super(`Some event ids appended to ${streamName} are already stored by a different append`);
    this.name = 'EventIdConflictError';
  }
}

/** Throws the ConcurrencyError when a stream at `actual` is not where the writer `expected` it. */
export const assertExpectedRevision = (
  streamName: string,
  expected: ExpectedRevision,
  actual: CurrentRevision,
): void => {
  const holds =
    expected === 'any' ||
    (expected === 'no_stream' && actual === 'no_stream') ||
    (expected === 'stream_exists' && actual !== 'no_stream') ||
    expected === actual;
  if (!holds) throw new ConcurrencyError(streamName, expected, actual);
};

/**
 * The store could not be reached or could not answer in time (a dropped connection, a server that is busy,
 * restarting or not the leader, a deadline passed). Whether a write in flight was stored is unknown: retry the
 * same events (same ids), which the store recognises. The HTTP API answers 503 DEPENDENCY_UNAVAILABLE.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

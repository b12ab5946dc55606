import { encodePosition, type RecordedEvent } from '@app/event-store';

/**
 * The events as the log hands them out, in list order: `recordedEvent` derives positions from revisions, so the
 * first events of two streams would share one, and lists keyed by position need them distinct.
 */
export const inLog = (events: readonly RecordedEvent[], first = 1): RecordedEvent[] =>
  events.map((event, index) => ({ ...event, position: encodePosition(1n, BigInt(first + index)) }));

/** One event at a chosen log position. */
export const atPosition = (event: RecordedEvent, position: number): RecordedEvent => ({
  ...event,
  position: encodePosition(1n, BigInt(position)),
});

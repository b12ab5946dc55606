import type { Command } from '../shared/decider';

/**
 * Records on the call-back's own stream a request the contract already accepted (its `CallbackRequestOpened`):
 * the contract decides which phones may be called and the one-open-request-per-user rule on its own stream, so
 * two requests sent at once cannot both pass; this stream then holds the request's life. The actor is the
 * requester, the same user the contract recorded.
 */
export type RequestCallback = Command<
  'RequestCallback',
  {
    callbackId: string;
    contractId: string;
    /** One of the contract's phones, as the contract recorded it (E.164). */
    phone: string;
    topic?: string;
  }
>;

/**
 * Staff (the actor) record how the call went: `completed`, or `unreachable`, saying after how many attempts when
 * they counted them.
 */
export type RecordCallbackOutcome = Command<
  'RecordCallbackOutcome',
  { outcome: 'completed'; note?: string } | { outcome: 'unreachable'; attempts?: number; note?: string }
>;

/** The requester (the actor) withdraws the request. */
export type CancelCallback = Command<'CancelCallback', Readonly<Record<string, never>>>;

/** Every command the call-back decider accepts. */
export type CallbackCommand = RequestCallback | RecordCallbackOutcome | CancelCallback;

import type { Command } from '../shared/decider';
import type { PhoneNumber } from '../value-objects/phone-number';

/**
 * A user with the `tickets` permission (the actor) asks to be called. The write path loads the contract and
 * passes in its phones and whether this user already has an open request on it: one open request per user and
 * contract spans many streams, so the decider can only check what it is told.
 */
export type RequestCallback = Command<
  'RequestCallback',
  {
    callbackId: string;
    contractId: string;
    /** As typed by the user; normalised to E.164 before it is compared with the contract's phones. */
    phone: string;
    topic?: string;
    contractPhones: readonly PhoneNumber[];
    userHasOpenCallback: boolean;
  }
>;

/** Staff (the actor) record how the call went: `completed`, or `unreachable` after a number of attempts. */
export type RecordCallbackOutcome = Command<
  'RecordCallbackOutcome',
  { outcome: 'completed'; note?: string } | { outcome: 'unreachable'; attempts: number; note?: string }
>;

/** The requester (the actor) withdraws the request. */
export type CancelCallback = Command<'CancelCallback', Readonly<Record<string, never>>>;

/** Every command the call-back decider accepts. */
export type CallbackCommand = RequestCallback | RecordCallbackOutcome | CancelCallback;

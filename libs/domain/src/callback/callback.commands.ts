import type { Message } from '../shared/decider';
import type { PhoneNumber } from '../value-objects/phone-number';

/**
 * A user with the `tickets` permission asks to be called. The write path loads the contract and passes in its
 * phones and whether this user already has an open request on it: one open request per user and contract spans
 * many streams, so the decider can only check what it is told.
 */
export type RequestCallback = Message<
  'RequestCallback',
  {
    callbackId: string;
    contractId: string;
    userId: string;
    /** As typed by the user; normalised to E.164 before it is compared with the contract's phones. */
    phone: string;
    topic?: string;
    at: string;
    contractPhones: readonly PhoneNumber[];
    userHasOpenCallback: boolean;
  }
>;

/** Staff record how the call went: `completed`, or `unreachable` after a number of attempts. */
export type RecordCallbackOutcome = Message<
  'RecordCallbackOutcome',
  | { outcome: 'completed'; staffId: string; note?: string; at: string }
  | { outcome: 'unreachable'; attempts: number; staffId: string; note?: string; at: string }
>;

/** The requester withdraws the request; `userId` is who asks. */
export type CancelCallback = Message<'CancelCallback', { userId: string; at: string }>;

/** Every command the call-back decider accepts. */
export type CallbackCommand = RequestCallback | RecordCallbackOutcome | CancelCallback;

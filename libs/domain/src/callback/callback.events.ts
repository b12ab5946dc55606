import type { Message } from '../shared/decider';
import type { PhoneNumber } from '../value-objects/phone-number';

/**
 * A call-back request ("Nós ligamos para você"): a contract's user asks staff to phone them on one of the
 * contract's numbers. Every event names the requester and the contract, for the notifier.
 */
export type CallbackReference = Readonly<{ callbackId: string; contractId: string; userId: string }>;

/** A user asked to be called on one of the contract's phones, optionally saying what about. */
export type CallbackRequested = Message<
  'CallbackRequested',
  CallbackReference & { phone: PhoneNumber; topic: string | null; at: string }
>;

/** Staff called and spoke with the user. */
export type CallbackCompleted = Message<
  'CallbackCompleted',
  CallbackReference & { staffId: string; note: string | null; at: string }
>;

/** Staff gave up after `attempts` calls nobody answered (`null`: not counted). */
export type CallbackMarkedUnreachable = Message<
  'CallbackMarkedUnreachable',
  CallbackReference & { staffId: string; attempts: number | null; note: string | null; at: string }
>;

/** The requester withdrew the request. */
export type CallbackCancelled = Message<'CallbackCancelled', CallbackReference & { at: string }>;

/** Every event of the call-back stream. */
export type CallbackEvent =
  CallbackRequested | CallbackCompleted | CallbackMarkedUnreachable | CallbackCancelled;

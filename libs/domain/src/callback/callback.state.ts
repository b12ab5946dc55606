import type { PhoneNumber } from '../value-objects/phone-number';
import type { CallbackEvent, CallbackReference } from './callback.events';

/** What a call-back request keeps whatever its status. */
export type CallbackDetails = CallbackReference &
  Readonly<{ phone: PhoneNumber; topic: string | null; requestedAt: string }>;

/** Waiting for staff to call. The only status that accepts commands. */
export type RequestedCallback = CallbackDetails & Readonly<{ status: 'requested' }>;

/** Final: staff spoke with the user. */
export type CompletedCallback = CallbackDetails &
  Readonly<{ status: 'completed'; staffId: string; note: string | null; completedAt: string }>;

/** Final: staff could not reach the user (after `attempts` calls, when counted). */
export type UnreachableCallback = CallbackDetails &
  Readonly<{
    status: 'unreachable';
    staffId: string;
    attempts: number | null;
    note: string | null;
    closedAt: string;
  }>;

/** Final: the requester withdrew the request. */
export type CancelledCallback = CallbackDetails & Readonly<{ status: 'cancelled'; cancelledAt: string }>;

/** The state of a call-back stream, keyed on `status` (`not_requested` for an empty stream). */
export type CallbackState =
  | Readonly<{ status: 'not_requested' }>
  | RequestedCallback
  | CompletedCallback
  | UnreachableCallback
  | CancelledCallback;

/** Every status of a call-back request. */
export type CallbackStatus = CallbackState['status'];

/** How a call-back request ended: the statuses nothing leaves. */
export type FinalCallbackStatus = Exclude<CallbackStatus, 'not_requested' | 'requested'>;

/** The state of a call-back request before any event. */
export const initialCallbackState = (): CallbackState => ({ status: 'not_requested' });

/** Whether the request still waits for a call: what "one open request per user and contract" counts. */
export const isCallbackOpen = (state: CallbackState): state is RequestedCallback =>
  state.status === 'requested';

/** Whether the request is over (completed, unreachable or cancelled): its requester may ask for another. */
export const isCallbackClosed = (
  state: CallbackState,
): state is Extract<CallbackState, { status: FinalCallbackStatus }> =>
  state.status !== 'not_requested' && state.status !== 'requested';

/** Folds one event into the call-back's state; an outcome only applies to an open request, unknown events are ignored. */
export const evolveCallback = (state: CallbackState, event: CallbackEvent): CallbackState => {
  if (event.type === 'CallbackRequested') {
    const { data } = event;
    return {
      status: 'requested',
      callbackId: data.callbackId,
      contractId: data.contractId,
      userId: data.userId,
      phone: data.phone,
      topic: data.topic,
      requestedAt: data.at,
    };
  }
  if (state.status !== 'requested') return state;
  const details: CallbackDetails = {
    callbackId: state.callbackId,
    contractId: state.contractId,
    userId: state.userId,
    phone: state.phone,
    topic: state.topic,
    requestedAt: state.requestedAt,
  };
  switch (event.type) {
    case 'CallbackCompleted':
      return {
        ...details,
        status: 'completed',
        staffId: event.data.staffId,
        note: event.data.note,
        completedAt: event.data.at,
      };
    case 'CallbackMarkedUnreachable':
      return {
        ...details,
        status: 'unreachable',
        staffId: event.data.staffId,
        attempts: event.data.attempts,
        note: event.data.note,
        closedAt: event.data.at,
      };
    case 'CallbackCancelled':
      return { ...details, status: 'cancelled', cancelledAt: event.data.at };
    default: {
      // Compile-time check that every known event is folded; at run time an unknown type is ignored.
      const _unknown: never = event;
      return state;
    }
  }
};

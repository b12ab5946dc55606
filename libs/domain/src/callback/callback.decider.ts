import { isStaff } from '../shared/actor';
import { nowOf } from '../shared/command-time';
import type { Decider } from '../shared/decider';
import { DomainError, InvalidValueError } from '../shared/domain-error';
import { assertNever } from '../shared/exhaustive';
import { parseIdentifier } from '../value-objects/identifier';
import { parsePhoneNumber } from '../value-objects/phone-number';
import { parseCallbackText } from './callback-text';
import type {
  CallbackCommand,
  CancelCallback,
  RecordCallbackOutcome,
  RequestCallback,
} from './callback.commands';
import type { CallbackEvent, CallbackReference } from './callback.events';
import type { CallbackState, RequestedCallback } from './callback.state';
import { evolveCallback, initialCallbackState } from './callback.state';

const referenceOf = (callback: RequestedCallback): CallbackReference => ({
  callbackId: callback.callbackId,
  contractId: callback.contractId,
  userId: callback.userId,
});

/**
 * Records the request the contract accepted. The phone and the one-open-request rule were decided there (see
 * {@link RequestCallback}); what is checked here is what this stream alone knows: it is written once.
 */
const request = (command: RequestCallback, state: CallbackState): CallbackEvent[] => {
  const { data } = command;
  if (state.status !== 'not_requested')
    throw new DomainError('ALREADY_EXISTS', 'This call-back request already exists.', {
      callbackId: data.callbackId,
    });
  const { actor } = command.metadata;
  if (actor.kind !== 'user')
    throw new DomainError('FORBIDDEN', 'A call-back is asked for by a logged-in user.');
  const at = nowOf(command);
  return [
    {
      type: 'CallbackRequested',
      data: {
        callbackId: parseIdentifier(data.callbackId, 'callbackId'),
        contractId: parseIdentifier(data.contractId, 'contractId'),
        userId: actor.userId,
        phone: parsePhoneNumber(data.phone),
        topic: parseCallbackText('topic', data.topic),
        at,
      },
    },
  ];
};

const invalidTransition = (state: CallbackState, command: CallbackCommand): DomainError =>
  new DomainError('INVALID_TRANSITION', `A ${state.status} call-back request can't take ${command.type}.`, {
    from: state.status,
    command: command.type,
  });

const recordOutcome = (command: RecordCallbackOutcome, state: CallbackState): CallbackEvent[] => {
  const { actor } = command.metadata;
  if (actor.kind !== 'user' || !isStaff(actor))
    throw new DomainError('FORBIDDEN', 'Only staff record how a call-back went.');
  if (state.status !== 'requested') throw invalidTransition(state, command);
  const { data } = command;
  const staffId = actor.userId;
  const at = nowOf(command);
  const note = parseCallbackText('note', data.note);
  const reference = referenceOf(state);
  switch (data.outcome) {
    case 'completed':
      return [{ type: 'CallbackCompleted', data: { ...reference, staffId, note, at } }];
    case 'unreachable':
      if (data.attempts !== undefined && (!Number.isInteger(data.attempts) || data.attempts < 1))
        throw new InvalidValueError('attempts', 'The attempts must be a whole number of at least 1.');
      return [
        {
          type: 'CallbackMarkedUnreachable',
          data: { ...reference, staffId, attempts: data.attempts ?? null, note, at },
        },
      ];
    default: {
      // Compile-time exhaustiveness; at run time an outcome from unchecked input is bad input, not a bug.
      const _unknown: never = data;
      throw new InvalidValueError('outcome', 'The outcome must be one of: completed, unreachable.');
    }
  }
};

/** Only the requester (the actor) may cancel; someone else learns nothing about the request's status. */
const cancel = (command: CancelCallback, state: Exclude<CallbackState, { status: 'not_requested' }>) => {
  const { actor } = command.metadata;
  if (actor.kind !== 'user' || actor.userId !== state.userId)
    throw new DomainError('FORBIDDEN', 'Only the user who asked for the call-back can cancel it.');
  if (state.status !== 'requested') throw invalidTransition(state, command);
  const cancelled: CallbackEvent = {
    type: 'CallbackCancelled',
    data: { ...referenceOf(state), at: nowOf(command) },
  };
  return [cancelled];
};

/** Decides what a call-back command produces, or refuses it with a {@link DomainError}. */
export const decideCallback = (command: CallbackCommand, state: CallbackState): readonly CallbackEvent[] => {
  if (command.type === 'RequestCallback') return request(command, state);
  if (state.status === 'not_requested')
    throw new DomainError('NOT_FOUND', 'This call-back request does not exist.');
  switch (command.type) {
    case 'RecordCallbackOutcome':
      return recordOutcome(command, state);
    case 'CancelCallback':
      return cancel(command, state);
    default:
      return assertNever(command);
  }
};

/** The call-back request aggregate (stream `callback-<id>`). */
export const callbackDecider: Decider<CallbackCommand, CallbackEvent, CallbackState> = {
  initialState: initialCallbackState,
  evolve: evolveCallback,
  decide: decideCallback,
};

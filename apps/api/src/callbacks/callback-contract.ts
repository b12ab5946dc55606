import { callbackDecider, callbackStream, DomainError, type CallbackState } from '@app/domain';
import type { CommandSender } from '../commands/command-sender';

/** What a caller is told of a call-back that does not exist, or of one they may not know about. */
export const NO_SUCH_CALLBACK = 'No such call-back.';

/**
 * A call-back request as its own stream has it (its contract and requester, to authorize on). One that does not
 * exist is a 404 in the words a stranger gets for one that does.
 */
export const callbackOf = async (
  sender: CommandSender,
  callbackId: string,
): Promise<Exclude<CallbackState, { status: 'not_requested' }>> => {
  const callback = await sender.stateOf(callbackDecider, callbackStream(callbackId));
  if (callback.status === 'not_requested') throw new DomainError('NOT_FOUND', NO_SUCH_CALLBACK);
  return callback;
};

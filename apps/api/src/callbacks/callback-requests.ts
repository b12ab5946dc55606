import { Injectable } from '@nestjs/common';
import { commandDigest, type CommandResult } from '@app/command-handling';
import {
  callbackDecider,
  callbackRequestOf,
  callbackStream,
  contractDecider,
  contractStream,
  DomainError,
  isCallbackClosed,
  openCallbackRequestOf,
  type CallbackEvent,
  type CallbackRequestRecord,
  type CallbackState,
} from '@app/domain';
import type { CommandContext } from '../http';
import type { CommandAnswer } from '../commands/command-answer';
import { CommandSender } from '../commands/command-sender';

/** What a call-back request asks: one of the contract's phones, and what about. */
export type CallbackRequestInput = Readonly<{ phone: string; topic?: string }>;

/**
 * A step that follows from another (the call-back stream after the contract took the request, the contract after
 * the call-back ended) is sent under an id derived from the call-back and the step, not from the HTTP request:
 * whoever sends it — the request itself, its retry, or the requester's next request finishing a lost step —
 * sends the same command, and only the first appends.
 */
const followUp = (context: CommandContext, step: string, callbackId: string): CommandContext => {
  const id = `${step}:${callbackId}`;
  return { ...context, commandId: id, requestDigest: commandDigest({ step, callbackId }) };
};

/**
 * The one-open-call-back-per-user rule spans many call-back streams, so the contract decides it on its own
 * stream (docs/domain.md, "Call-back request"); this writes the two streams in the order that keeps them
 * consistent, and finishes a step a crash left undone:
 * - requesting: the contract takes the request (`OpenCallbackRequest`), then its stream records it;
 * - ending it (outcome, cancellation): its stream first, then the contract frees the slot.
 */
@Injectable()
export class CallbackRequests {
  constructor(private readonly sender: CommandSender) {}

  /** Asks for a call-back; answers with its id and the position of its stream's first event. */
  async request(
    contractId: string,
    input: CallbackRequestInput,
    context: CommandContext,
  ): Promise<CommandAnswer> {
    const callbackId = context.entityId('callback');
    const taken = await this.takeOnContract(contractId, callbackId, input, context, true);
    return this.recordOnItsStream(contractId, taken, context);
  }

  /**
   * After a command that may have ended the call-back on its stream: frees its requester's slot on the contract,
   * and answers with the position of that last step.
   */
  afterEnding(
    result: CommandResult<CallbackEvent, CallbackState>,
    context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.freeOnContract(result.state, context);
  }

  private async takeOnContract(
    contractId: string,
    callbackId: string,
    input: CallbackRequestInput,
    context: CommandContext,
    mayFinishEarlier: boolean,
  ): Promise<CallbackRequestRecord> {
    try {
      const { state } = await this.sender.run(
        contractDecider,
        contractStream(contractId),
        {
          type: 'OpenCallbackRequest',
          data: {
            callbackId,
            phone: input.phone,
            ...(input.topic === undefined ? {} : { topic: input.topic }),
          },
        },
        context,
      );
      const taken = callbackRequestOf(state, callbackId);
      if (!taken) throw new Error(`the contract took no call-back request ${callbackId}`);
      return taken;
    } catch (error) {
      const alreadyOpen = error instanceof DomainError && error.code === 'CALLBACK_ALREADY_OPEN';
      if (!alreadyOpen || !mayFinishEarlier) throw error;
      if (await this.finishEarlierRequest(contractId, context)) {
        return this.takeOnContract(contractId, callbackId, input, context, false);
      }
      throw error;
    }
  }

  /**
   * The caller was refused for an open request: if a crash left that request half written, finish it. Its
   * call-back stream missing: write it (the refusal stands, and the request can now be called or cancelled).
   * Its call-back already ended: free the slot, and say the caller may be decided again.
   */
  private async finishEarlierRequest(contractId: string, context: CommandContext): Promise<boolean> {
    const contract = await this.sender.stateOf(contractDecider, contractStream(contractId));
    const open = openCallbackRequestOf(contract, context.caller.userId);
    if (!open) return true;
    const callback = await this.sender.stateOf(callbackDecider, callbackStream(open.callbackId));
    if (callback.status === 'not_requested') {
      await this.recordOnItsStream(contractId, open, context);
      return false;
    }
    if (!isCallbackClosed(callback)) return false;
    await this.freeOnContract(callback, context);
    return true;
  }

  /** Writes the call-back's own stream from the contract's record of the request; the requester is the actor. */
  private recordOnItsStream(
    contractId: string,
    request: CallbackRequestRecord,
    context: CommandContext,
  ): Promise<CommandAnswer> {
    const { callbackId } = request;
    return this.sender.send(
      callbackDecider,
      callbackStream(callbackId),
      {
        type: 'RequestCallback',
        data: {
          callbackId,
          contractId,
          phone: request.phone,
          ...(request.topic === null ? {} : { topic: request.topic }),
        },
      },
      followUp(context, 'request-callback', callbackId),
      callbackId,
    );
  }

  private freeOnContract(callback: CallbackState, context: CommandContext): Promise<CommandAnswer> {
    if (!isCallbackClosed(callback)) throw new Error(`a call-back that has not ended holds its slot`);
    const { callbackId, contractId } = callback;
    return this.sender.send(
      contractDecider,
      contractStream(contractId),
      { type: 'CloseCallbackRequest', data: { callbackId, outcome: callback.status } },
      followUp(context, 'close-callback-request', callbackId),
      callbackId,
    );
  }
}

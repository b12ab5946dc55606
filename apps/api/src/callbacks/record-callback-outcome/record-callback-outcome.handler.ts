import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { callbackDecider, callbackStream, type RecordCallbackOutcome } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { callbackOf, NO_SUCH_CALLBACK } from '../callback-contract';
import { CallbackRequests } from '../callback-requests';
import type { RecordCallbackOutcomeRequest } from './record-callback-outcome.request.dto';

export class RecordCallbackOutcomeCommand {
  constructor(
    readonly callbackId: string,
    readonly request: RecordCallbackOutcomeRequest,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(RecordCallbackOutcomeCommand)
export class RecordCallbackOutcomeHandler implements ICommandHandler<
  RecordCallbackOutcomeCommand,
  CommandAnswer
> {
  constructor(
    private readonly sender: CommandSender,
    private readonly callbackRequests: CallbackRequests,
  ) {}

  async execute({ callbackId, request, context }: RecordCallbackOutcomeCommand): Promise<CommandAnswer> {
    const callback = await callbackOf(this.sender, callbackId);
    await this.sender.authorizeOnContract(
      context.caller,
      callback.contractId,
      'recordCallbackOutcome',
      NO_SUCH_CALLBACK,
    );
    // The decider refuses any outcome but completed and unreachable; the DTO only checks it is short text.
    const data = {
      outcome: request.outcome,
      ...(request.attempts === undefined ? {} : { attempts: request.attempts }),
      ...(request.note === undefined ? {} : { note: request.note }),
    } as RecordCallbackOutcome['data'];
    const recorded = await this.sender.run(
      callbackDecider,
      callbackStream(callbackId),
      { type: 'RecordCallbackOutcome', data },
      context,
    );
    return this.callbackRequests.afterEnding(recorded, context);
  }
}

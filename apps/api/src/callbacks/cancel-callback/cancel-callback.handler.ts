import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { callbackDecider, callbackStream, contractDecider, contractStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { decideRequesterAccess, enforce } from '../../authorization/access-policy';
import { callbackOf, NO_SUCH_CALLBACK } from '../callback-contract';
import { CallbackRequests } from '../callback-requests';

export class CancelCallbackCommand {
  constructor(
    readonly callbackId: string,
    readonly context: CommandContext,
  ) {}
}

/** Only the requester cancels (a rule the access table cannot say: see {@link decideRequesterAccess}). */
@CommandHandler(CancelCallbackCommand)
export class CancelCallbackHandler implements ICommandHandler<CancelCallbackCommand, CommandAnswer> {
  constructor(
    private readonly sender: CommandSender,
    private readonly callbackRequests: CallbackRequests,
  ) {}

  async execute({ callbackId, context }: CancelCallbackCommand): Promise<CommandAnswer> {
    const callback = await callbackOf(this.sender, callbackId);
    const contract = await this.sender.stateOf(contractDecider, contractStream(callback.contractId));
    enforce(decideRequesterAccess(context.caller, contract, callback.userId), NO_SUCH_CALLBACK);
    const cancelled = await this.sender.run(
      callbackDecider,
      callbackStream(callbackId),
      { type: 'CancelCallback', data: {} },
      context,
    );
    return this.callbackRequests.afterEnding(cancelled, context);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { CallbackRequests } from '../callback-requests';
import type { RequestCallbackRequest } from './request-callback.request.dto';

export class RequestCallbackCommand {
  constructor(
    readonly contractId: string,
    readonly request: RequestCallbackRequest,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(RequestCallbackCommand)
export class RequestCallbackHandler implements ICommandHandler<RequestCallbackCommand, CommandAnswer> {
  constructor(
    private readonly sender: CommandSender,
    private readonly callbackRequests: CallbackRequests,
  ) {}

  async execute({ contractId, request, context }: RequestCallbackCommand): Promise<CommandAnswer> {
    await this.sender.authorizeOnContract(context.caller, contractId, 'requestCallback');
    return this.callbackRequests.request(
      contractId,
      { phone: request.phone, ...(request.topic === undefined ? {} : { topic: request.topic }) },
      context,
    );
  }
}

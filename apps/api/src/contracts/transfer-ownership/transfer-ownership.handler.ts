import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contractDecider, contractStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import type { TransferOwnershipRequest } from './transfer-ownership.request.dto';

export class TransferOwnershipCommand {
  constructor(
    readonly contractId: string,
    readonly request: TransferOwnershipRequest,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(TransferOwnershipCommand)
export class TransferOwnershipHandler implements ICommandHandler<TransferOwnershipCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ contractId, request, context }: TransferOwnershipCommand): Promise<CommandAnswer> {
    await this.sender.authorizeOnContract(context.caller, contractId, 'transferOwnership');
    return this.sender.send(
      contractDecider,
      contractStream(contractId),
      { type: 'TransferOwnership', data: { newOwnerUserId: request.newOwnerUserId } },
      context,
      contractId,
    );
  }
}

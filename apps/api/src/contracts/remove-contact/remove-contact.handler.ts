import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contractDecider, contractStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';

export class RemoveContactCommand {
  constructor(
    readonly contractId: string,
    readonly contactId: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(RemoveContactCommand)
export class RemoveContactHandler implements ICommandHandler<RemoveContactCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ contractId, contactId, context }: RemoveContactCommand): Promise<CommandAnswer> {
    await this.sender.authorizeOnContract(context.caller, contractId, 'removeContact');
    return this.sender.send(
      contractDecider,
      contractStream(contractId),
      { type: 'RemoveContact', data: { contactId } },
      context,
      contactId,
    );
  }
}

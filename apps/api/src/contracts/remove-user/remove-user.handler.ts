import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contractDecider, contractStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';

export class RemoveUserCommand {
  constructor(
    readonly contractId: string,
    readonly userId: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(RemoveUserCommand)
export class RemoveUserHandler implements ICommandHandler<RemoveUserCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ contractId, userId, context }: RemoveUserCommand): Promise<CommandAnswer> {
    await this.sender.authorizeOnContract(context.caller, contractId, 'removeUser');
    return this.sender.send(
      contractDecider,
      contractStream(contractId),
      { type: 'RemoveUser', data: { userId } },
      context,
      userId,
    );
  }
}

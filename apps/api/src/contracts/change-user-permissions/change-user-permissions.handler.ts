import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contractDecider, contractStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import type { ChangeUserPermissionsRequest } from './change-user-permissions.request.dto';

export class ChangeUserPermissionsCommand {
  constructor(
    readonly contractId: string,
    readonly userId: string,
    readonly request: ChangeUserPermissionsRequest,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ChangeUserPermissionsCommand)
export class ChangeUserPermissionsHandler implements ICommandHandler<
  ChangeUserPermissionsCommand,
  CommandAnswer
> {
  constructor(private readonly sender: CommandSender) {}

  async execute({
    contractId,
    userId,
    request,
    context,
  }: ChangeUserPermissionsCommand): Promise<CommandAnswer> {
    await this.sender.authorizeOnContract(context.caller, contractId, 'changeUserPermissions');
    return this.sender.send(
      contractDecider,
      contractStream(contractId),
      { type: 'ChangeUserPermissions', data: { userId, permissions: request.permissions } },
      context,
      userId,
    );
  }
}

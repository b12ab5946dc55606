import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contractDecider, contractStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';

export class RevokeInvitationCommand {
  constructor(
    readonly contractId: string,
    readonly invitationId: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(RevokeInvitationCommand)
export class RevokeInvitationHandler implements ICommandHandler<RevokeInvitationCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ contractId, invitationId, context }: RevokeInvitationCommand): Promise<CommandAnswer> {
    await this.sender.authorizeOnContract(context.caller, contractId, 'revokeInvitation');
    return this.sender.send(
      contractDecider,
      contractStream(contractId),
      { type: 'RevokeInvitation', data: { invitationId } },
      context,
      invitationId,
    );
  }
}

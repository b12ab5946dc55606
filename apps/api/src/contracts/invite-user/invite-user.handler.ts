import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contractDecider, contractStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import type { InviteUserRequest } from './invite-user.request.dto';

export class InviteUserCommand {
  constructor(
    readonly contractId: string,
    readonly request: InviteUserRequest,
    readonly context: CommandContext,
  ) {}
}

/** The owner invites an e-mail address; the answer's id is the invitation's, for the acceptance link. */
@CommandHandler(InviteUserCommand)
export class InviteUserHandler implements ICommandHandler<InviteUserCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ contractId, request, context }: InviteUserCommand): Promise<CommandAnswer> {
    await this.sender.authorizeOnContract(context.caller, contractId, 'inviteUser');
    const invitationId = context.entityId('invitation');
    return this.sender.send(
      contractDecider,
      contractStream(contractId),
      {
        type: 'InviteUser',
        data: { invitationId, email: request.email, permissions: request.permissions },
      },
      context,
      invitationId,
    );
  }
}

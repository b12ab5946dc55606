import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contractDecider, contractStream } from '@app/domain';
import { enforce } from '../../authorization/access-policy';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';

/** What the decider answers for an invitation it does not have; a missing contract is answered the same. */
const NO_SUCH_INVITATION = 'There is no such invitation.';

export class AcceptInvitationCommand {
  constructor(
    readonly contractId: string,
    readonly invitationId: string,
    readonly context: CommandContext,
  ) {}
}

/**
 * The invitee is not a member yet, so no access rule applies: the contract must exist, and the decider decides
 * (the token's e-mail must be the invited one, the invitation still pending and unexpired).
 */
@CommandHandler(AcceptInvitationCommand)
export class AcceptInvitationHandler implements ICommandHandler<AcceptInvitationCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ contractId, invitationId, context }: AcceptInvitationCommand): Promise<CommandAnswer> {
    const stream = contractStream(contractId);
    const contract = await this.sender.stateOf(contractDecider, stream);
    enforce(contract.status === 'open' ? 'allowed' : 'not_found', NO_SUCH_INVITATION);
    return this.sender.send(
      contractDecider,
      stream,
      { type: 'AcceptInvitation', data: { invitationId } },
      context,
      invitationId,
    );
  }
}

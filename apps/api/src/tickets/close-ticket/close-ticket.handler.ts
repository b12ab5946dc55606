import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ticketDecider, ticketStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { contractOfTicket, NO_SUCH_TICKET } from '../ticket-contract';

export class CloseTicketCommand {
  constructor(
    readonly ticketId: string,
    readonly context: CommandContext,
  ) {}
}

/** Closing a closed ticket changes nothing; the decider records whether the customer or staff closed it. */
@CommandHandler(CloseTicketCommand)
export class CloseTicketHandler implements ICommandHandler<CloseTicketCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ ticketId, context }: CloseTicketCommand): Promise<CommandAnswer> {
    const contractId = await contractOfTicket(this.sender, ticketId);
    await this.sender.authorizeOnContract(context.caller, contractId, 'closeTicket', NO_SUCH_TICKET);
    return this.sender.send(
      ticketDecider,
      ticketStream(ticketId),
      { type: 'CloseTicket', data: {} },
      context,
      ticketId,
    );
  }
}

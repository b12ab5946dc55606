import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ticketDecider, ticketStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { contractOfTicket, NO_SUCH_TICKET } from '../ticket-contract';
import type { ReplyToTicketRequest } from './reply-to-ticket.request.dto';

export class ReplyToTicketCommand {
  constructor(
    readonly ticketId: string,
    readonly request: ReplyToTicketRequest,
    readonly context: CommandContext,
  ) {}
}

/**
 * The decider tells a staff reply (Answered) from a customer's (Customer-Reply, reopening a closed ticket) by the
 * actor; the message id makes a retried request a repeat.
 */
@CommandHandler(ReplyToTicketCommand)
export class ReplyToTicketHandler implements ICommandHandler<ReplyToTicketCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ ticketId, request, context }: ReplyToTicketCommand): Promise<CommandAnswer> {
    const contractId = await contractOfTicket(this.sender, ticketId);
    await this.sender.authorizeOnContract(context.caller, contractId, 'replyToTicket', NO_SUCH_TICKET);
    return this.sender.send(
      ticketDecider,
      ticketStream(ticketId),
      { type: 'ReplyToTicket', data: { messageId: context.entityId('message'), message: request.message } },
      context,
      ticketId,
    );
  }
}

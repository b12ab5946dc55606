import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ticketDecider, ticketStream, type StaffTicketStatus } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { contractOfTicket, NO_SUCH_TICKET } from '../ticket-contract';
import type { ChangeTicketStatusRequest } from './change-ticket-status.request.dto';

export class ChangeTicketStatusCommand {
  constructor(
    readonly ticketId: string,
    readonly request: ChangeTicketStatusRequest,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ChangeTicketStatusCommand)
export class ChangeTicketStatusHandler implements ICommandHandler<ChangeTicketStatusCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ ticketId, request, context }: ChangeTicketStatusCommand): Promise<CommandAnswer> {
    const contractId = await contractOfTicket(this.sender, ticketId);
    await this.sender.authorizeOnContract(context.caller, contractId, 'changeTicketStatus', NO_SUCH_TICKET);
    return this.sender.send(
      ticketDecider,
      ticketStream(ticketId),
      // The decider refuses any status but in_progress and on_hold; the DTO only checks it is short text.
      { type: 'SetTicketStatus', data: { status: request.status as StaffTicketStatus } },
      context,
      ticketId,
    );
  }
}

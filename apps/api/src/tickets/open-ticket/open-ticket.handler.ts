import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  serviceDecider,
  serviceStream,
  ticketDecider,
  ticketStream,
  type TicketDepartment,
  type TicketPriority,
} from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import type { OpenTicketRequest } from './open-ticket.request.dto';

export class OpenTicketCommand {
  constructor(
    readonly contractId: string,
    readonly request: OpenTicketRequest,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(OpenTicketCommand)
export class OpenTicketHandler implements ICommandHandler<OpenTicketCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ contractId, request, context }: OpenTicketCommand): Promise<CommandAnswer> {
    await this.sender.authorizeOnContract(context.caller, contractId, 'openTicket');
    const ticketId = context.entityId('ticket');
    return this.sender.send(
      ticketDecider,
      ticketStream(ticketId),
      {
        type: 'OpenTicket',
        data: {
          ticketId,
          contractId,
          subject: request.subject,
          // The decider refuses any other value; the DTO only checks it is short text.
          department: request.department as TicketDepartment,
          priority: request.priority as TicketPriority,
          message: request.message,
          ...(request.serviceId === undefined
            ? {}
            : {
                serviceId: request.serviceId,
                serviceContractId: await this.contractOfService(request.serviceId),
              }),
        },
      },
      context,
      ticketId,
    );
  }

  /** The contract the service belongs to, as its own stream says; null when there is no such service. */
  private async contractOfService(serviceId: string): Promise<string | null> {
    const service = await this.sender.stateOf(serviceDecider, serviceStream(serviceId));
    return service.status === 'none' ? null : service.contractId;
  }
}

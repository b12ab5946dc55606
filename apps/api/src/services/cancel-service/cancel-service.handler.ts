import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { serviceDecider, serviceStream } from '@app/domain';
import type { CommandContext } from '../../http';
import { CommandSender } from '../../commands/command-sender';
import { authorizeOnService } from '../service-access';
import type { CancellationAnswer } from './cancellation.answer';
import type { CancelServiceRequest } from './cancel-service.request.dto';
import { protocolNumberFor } from './protocol-number';

export class CancelServiceCommand {
  constructor(
    readonly serviceId: string,
    readonly request: CancelServiceRequest,
    readonly context: CommandContext,
  ) {}
}

/** A member with `orders`, or billing staff, cancels a service now or at the end of its paid period. */
@CommandHandler(CancelServiceCommand)
export class CancelServiceHandler implements ICommandHandler<CancelServiceCommand, CancellationAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ serviceId, request, context }: CancelServiceCommand): Promise<CancellationAnswer> {
    await authorizeOnService(this.sender, context.caller, serviceId, 'cancelService');
    const protocolNumber = protocolNumberFor(context.commandId);
    const answer = await this.sender.send(
      serviceDecider,
      serviceStream(serviceId),
      { type: 'CancelService', data: { when: request.when, reason: request.reason, protocolNumber } },
      context,
      serviceId,
    );
    return { ...answer, protocolNumber };
  }
}

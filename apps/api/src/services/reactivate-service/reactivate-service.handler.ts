import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { serviceDecider, serviceStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { authorizeOnService } from '../service-access';
import type { ReactivateServiceRequest } from './reactivate-service.request.dto';

export class ReactivateServiceCommand {
  constructor(
    readonly serviceId: string,
    readonly request: ReactivateServiceRequest,
    readonly context: CommandContext,
  ) {}
}

/**
 * Billing staff lift a suspension, whatever its cause. Automatic reactivations (by payment, by the parent) are
 * the reactors': they, not this endpoint, meet SUSPENDED_BY_STAFF on an administrative suspension.
 */
@CommandHandler(ReactivateServiceCommand)
export class ReactivateServiceHandler implements ICommandHandler<ReactivateServiceCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ serviceId, request, context }: ReactivateServiceCommand): Promise<CommandAnswer> {
    await authorizeOnService(this.sender, context.caller, serviceId, 'reactivateService');
    return this.sender.send(
      serviceDecider,
      serviceStream(serviceId),
      {
        type: 'ReactivateService',
        data: { by: 'staff', ...(request.reason === undefined ? {} : { note: request.reason }) },
      },
      context,
      serviceId,
    );
  }
}

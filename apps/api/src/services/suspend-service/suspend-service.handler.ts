import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { serviceDecider, serviceStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { authorizeOnService } from '../service-access';
import type { SuspendServiceRequest } from './suspend-service.request.dto';

export class SuspendServiceCommand {
  constructor(
    readonly serviceId: string,
    readonly request: SuspendServiceRequest,
    readonly context: CommandContext,
  ) {}
}

/** Billing staff suspend a service administratively (abuse, terms of service, other); only staff lift it. */
@CommandHandler(SuspendServiceCommand)
export class SuspendServiceHandler implements ICommandHandler<SuspendServiceCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ serviceId, request, context }: SuspendServiceCommand): Promise<CommandAnswer> {
    await authorizeOnService(this.sender, context.caller, serviceId, 'suspendService');
    return this.sender.send(
      serviceDecider,
      serviceStream(serviceId),
      {
        type: 'SuspendService',
        data: { reason: request.reason, ...(request.note === undefined ? {} : { note: request.note }) },
      },
      context,
      serviceId,
    );
  }
}

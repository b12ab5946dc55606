import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, instanceDecider, instanceStream, serviceDecider, serviceStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { authorizeOnService } from '../service-access';
import type { ProvisionServiceRequest } from './provision-service.request.dto';

export class ProvisionServiceCommand {
  constructor(
    readonly serviceId: string,
    readonly request: ProvisionServiceRequest,
    readonly context: CommandContext,
  ) {}
}

/** An admin records that a pending service was set up on an instance; paid too, it becomes active. */
@CommandHandler(ProvisionServiceCommand)
export class ProvisionServiceHandler implements ICommandHandler<ProvisionServiceCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ serviceId, request, context }: ProvisionServiceCommand): Promise<CommandAnswer> {
    await authorizeOnService(this.sender, context.caller, serviceId, 'provisionService');
    // The status page and the contracts' alerts follow services to their instance: it must be a registered one.
    const instance = await this.sender.stateOf(instanceDecider, instanceStream(request.instanceId));
    if (instance.status !== 'registered') throw new DomainError('NOT_FOUND', 'No such instance.');
    return this.sender.send(
      serviceDecider,
      serviceStream(serviceId),
      { type: 'ProvisionService', data: { instanceId: request.instanceId } },
      context,
      serviceId,
    );
  }
}

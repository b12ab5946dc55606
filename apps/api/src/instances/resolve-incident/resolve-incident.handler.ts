import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { instanceDecider, instanceStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import type { ResolveIncidentRequest } from './resolve-incident.request.dto';

export class ResolveIncidentCommand {
  constructor(
    readonly instanceId: string,
    readonly incidentId: string,
    readonly request: ResolveIncidentRequest,
    readonly context: CommandContext,
  ) {}
}

/** Resolving a resolved incident changes nothing: two admins may both press "resolve". */
@CommandHandler(ResolveIncidentCommand)
export class ResolveIncidentHandler implements ICommandHandler<ResolveIncidentCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({
    instanceId,
    incidentId,
    request,
    context,
  }: ResolveIncidentCommand): Promise<CommandAnswer> {
    this.sender.authorizeStaff(context.caller, 'resolveIncident');
    return this.sender.send(
      instanceDecider,
      instanceStream(instanceId),
      {
        type: 'ResolveIncident',
        data: { incidentId, ...(request.message === undefined ? {} : { message: request.message }) },
      },
      context,
      incidentId,
    );
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { instanceDecider, instanceStream, type IncidentImpact } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import type { OpenIncidentRequest } from './open-incident.request.dto';

export class OpenIncidentCommand {
  constructor(
    readonly instanceId: string,
    readonly request: OpenIncidentRequest,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(OpenIncidentCommand)
export class OpenIncidentHandler implements ICommandHandler<OpenIncidentCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ instanceId, request, context }: OpenIncidentCommand): Promise<CommandAnswer> {
    this.sender.authorizeStaff(context.caller, 'openIncident');
    const incidentId = context.entityId('incident');
    return this.sender.send(
      instanceDecider,
      instanceStream(instanceId),
      {
        type: 'OpenIncident',
        // The decider refuses any other impact; the DTO only checks it is short text.
        data: { incidentId, title: request.title, impact: request.impact as IncidentImpact },
      },
      context,
      incidentId,
    );
  }
}

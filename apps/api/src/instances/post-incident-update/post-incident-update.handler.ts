import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { instanceDecider, instanceStream, type IncidentImpact } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import type { PostIncidentUpdateRequest } from './post-incident-update.request.dto';

export class PostIncidentUpdateCommand {
  constructor(
    readonly instanceId: string,
    readonly incidentId: string,
    readonly request: PostIncidentUpdateRequest,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(PostIncidentUpdateCommand)
export class PostIncidentUpdateHandler implements ICommandHandler<PostIncidentUpdateCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({
    instanceId,
    incidentId,
    request,
    context,
  }: PostIncidentUpdateCommand): Promise<CommandAnswer> {
    this.sender.authorizeStaff(context.caller, 'updateIncident');
    return this.sender.send(
      instanceDecider,
      instanceStream(instanceId),
      {
        type: 'PostIncidentUpdate',
        data: {
          incidentId,
          message: request.message,
          // The decider refuses any other impact; the DTO only checks it is short text.
          ...(request.impact === undefined ? {} : { impact: request.impact as IncidentImpact }),
        },
      },
      context,
      incidentId,
    );
  }
}

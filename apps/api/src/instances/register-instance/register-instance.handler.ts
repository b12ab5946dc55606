import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { instanceDecider, instanceStream, type InstanceKind } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import type { RegisterInstanceRequest } from './register-instance.request.dto';

export class RegisterInstanceCommand {
  constructor(
    readonly request: RegisterInstanceRequest,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(RegisterInstanceCommand)
export class RegisterInstanceHandler implements ICommandHandler<RegisterInstanceCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ request, context }: RegisterInstanceCommand): Promise<CommandAnswer> {
    this.sender.authorizeStaff(context.caller, 'registerInstance');
    const instanceId = context.entityId('instance');
    return this.sender.send(
      instanceDecider,
      instanceStream(instanceId),
      {
        type: 'RegisterInstance',
        // The decider refuses any other kind; the DTO only checks it is short text.
        data: {
          instanceId,
          name: request.name,
          kind: request.kind as InstanceKind,
          datacenter: request.datacenter,
        },
      },
      context,
      instanceId,
    );
  }
}

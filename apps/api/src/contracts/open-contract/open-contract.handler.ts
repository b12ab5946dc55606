import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contractDecider, contractStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import type { OpenContractRequest } from './open-contract.request.dto';

export class OpenContractCommand {
  constructor(
    readonly request: OpenContractRequest,
    readonly context: CommandContext,
  ) {}
}

/** Any authenticated user may open a contract, and becomes its owner. */
@CommandHandler(OpenContractCommand)
export class OpenContractHandler implements ICommandHandler<OpenContractCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  execute({ request, context }: OpenContractCommand): Promise<CommandAnswer> {
    const contractId = context.entityId('contract');
    return this.sender.send(
      contractDecider,
      contractStream(contractId),
      {
        type: 'OpenContract',
        data: {
          contractId,
          holderName: request.holderName,
          document: request.document,
          phones: request.phones,
          ...(request.ownerName === undefined ? {} : { ownerName: request.ownerName }),
        },
      },
      context,
      contractId,
    );
  }
}

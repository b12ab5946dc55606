import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contractDecider, contractStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import type { AddContactRequest } from './add-contact.request.dto';

export class AddContactCommand {
  constructor(
    readonly contractId: string,
    readonly request: AddContactRequest,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(AddContactCommand)
export class AddContactHandler implements ICommandHandler<AddContactCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ contractId, request, context }: AddContactCommand): Promise<CommandAnswer> {
    await this.sender.authorizeOnContract(context.caller, contractId, 'addContact');
    const contactId = context.entityId('contact');
    return this.sender.send(
      contractDecider,
      contractStream(contractId),
      {
        type: 'AddContact',
        data: { contactId, name: request.name, email: request.email, categories: request.categories },
      },
      context,
      contactId,
    );
  }
}

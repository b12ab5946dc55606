import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandSender } from '../commands/command-sender';
import { AddContactHandler } from './add-contact/add-contact.handler';
import { AddContactHttpController } from './add-contact/add-contact.http.controller';
import { OpenContractHandler } from './open-contract/open-contract.handler';
import { OpenContractHttpController } from './open-contract/open-contract.http.controller';

/** The contract's commands: opening it, its users and invitations, contacts and payment method. */
@Module({
  imports: [CqrsModule],
  controllers: [OpenContractHttpController, AddContactHttpController],
  providers: [CommandSender, OpenContractHandler, AddContactHandler],
})
export class ContractsModule {}

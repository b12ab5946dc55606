import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandSender } from '../commands/command-sender';
import { AcceptInvitationHandler } from './accept-invitation/accept-invitation.handler';
import { AcceptInvitationHttpController } from './accept-invitation/accept-invitation.http.controller';
import { AddContactHandler } from './add-contact/add-contact.handler';
import { AddContactHttpController } from './add-contact/add-contact.http.controller';
import { ChangeDefaultPaymentMethodHandler } from './change-default-payment-method/change-default-payment-method.handler';
import { ChangeDefaultPaymentMethodHttpController } from './change-default-payment-method/change-default-payment-method.http.controller';
import { ChangeUserPermissionsHandler } from './change-user-permissions/change-user-permissions.handler';
import { ChangeUserPermissionsHttpController } from './change-user-permissions/change-user-permissions.http.controller';
import { InviteUserHandler } from './invite-user/invite-user.handler';
import { InviteUserHttpController } from './invite-user/invite-user.http.controller';
import { OpenContractHandler } from './open-contract/open-contract.handler';
import { OpenContractHttpController } from './open-contract/open-contract.http.controller';
import { RemoveContactHandler } from './remove-contact/remove-contact.handler';
import { RemoveContactHttpController } from './remove-contact/remove-contact.http.controller';
import { RemoveUserHandler } from './remove-user/remove-user.handler';
import { RemoveUserHttpController } from './remove-user/remove-user.http.controller';
import { RevokeInvitationHandler } from './revoke-invitation/revoke-invitation.handler';
import { RevokeInvitationHttpController } from './revoke-invitation/revoke-invitation.http.controller';
import { TransferOwnershipHandler } from './transfer-ownership/transfer-ownership.handler';
import { TransferOwnershipHttpController } from './transfer-ownership/transfer-ownership.http.controller';

/** The contract's commands: opening it, its users and invitations, contacts and payment method. */
@Module({
  imports: [CqrsModule],
  controllers: [
    OpenContractHttpController,
    InviteUserHttpController,
    AcceptInvitationHttpController,
    RevokeInvitationHttpController,
    ChangeUserPermissionsHttpController,
    RemoveUserHttpController,
    TransferOwnershipHttpController,
    AddContactHttpController,
    RemoveContactHttpController,
    ChangeDefaultPaymentMethodHttpController,
  ],
  providers: [
    CommandSender,
    OpenContractHandler,
    InviteUserHandler,
    AcceptInvitationHandler,
    RevokeInvitationHandler,
    ChangeUserPermissionsHandler,
    RemoveUserHandler,
    TransferOwnershipHandler,
    AddContactHandler,
    RemoveContactHandler,
    ChangeDefaultPaymentMethodHandler,
  ],
})
export class ContractsModule {}

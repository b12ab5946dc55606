import type { Message } from '../shared/decider';
import type { Instant } from '../value-objects/calendar';
import type { Email } from '../value-objects/email';
import type { PaymentMethod } from '../value-objects/payment-method';
import type { Permission } from '../value-objects/permission';
import type { PhoneNumber } from '../value-objects/phone-number';
import type { TaxDocument } from '../value-objects/tax-document';
import type { ContactCategory } from './contact-category';

/**
 * Who sends a command to a contract. A `user` is a logged-in person, customer or staff (the JWT's `sub`, `email`
 * and `roles`); what a customer may do comes from their permissions on the contract, what staff may do from their
 * roles. `system` is the billing automation, named by the rule that acts.
 */
export type ContractActor =
  | Readonly<{ kind: 'user'; userId: string; email: string; roles: readonly string[] }>
  | Readonly<{ kind: 'system'; rule: string }>;

type Command<Type extends string, Data> = Message<
  Type,
  Data & { readonly contractId: string; readonly actor: ContractActor }
>;

/** Open a new contract; the owner is usually the actor (any authenticated user may open one). */
export type OpenContract = Command<
  'OpenContract',
  {
    owner: Readonly<{ userId: string; email: Email; name: string }>;
    holderName: string;
    document: TaxDocument;
    phones: readonly PhoneNumber[];
    paymentMethod: PaymentMethod;
    openedAt: Instant;
  }
>;

/** Invite an e-mail address to become a user with these permissions (owner only). */
export type InviteUser = Command<
  'InviteUser',
  { invitationId: string; email: Email; permissions: readonly Permission[]; invitedAt: Instant }
>;

/** Accept an invitation as the logged-in actor, whose e-mail must be the invited one. */
export type AcceptInvitation = Command<'AcceptInvitation', { invitationId: string; acceptedAt: Instant }>;

/** Withdraw a pending invitation (owner only). */
export type RevokeInvitation = Command<'RevokeInvitation', { invitationId: string; revokedAt: Instant }>;

/** Expire an invitation if it is due as of `at` (the billing clock); otherwise nothing happens. */
export type ExpireInvitation = Command<'ExpireInvitation', { invitationId: string; at: Instant }>;

/** Replace a user's permissions (owner only; never the owner's, never one's own). */
export type ChangeUserPermissions = Command<
  'ChangeUserPermissions',
  { userId: string; permissions: readonly Permission[]; changedAt: Instant }
>;

/** Remove a user from the contract (owner only; never the owner, never oneself). */
export type RemoveUser = Command<'RemoveUser', { userId: string; removedAt: Instant }>;

/** Make an existing user the owner (staff with the `admin` role only). */
export type TransferOwnership = Command<
  'TransferOwnership',
  { newOwnerUserId: string; transferredAt: Instant }
>;

/** Add a notification-only contact (`contacts` permission). */
export type AddContact = Command<
  'AddContact',
  { contactId: string; name: string; email: Email; categories: readonly ContactCategory[]; addedAt: Instant }
>;

/** Remove a contact (`contacts` permission). */
export type RemoveContact = Command<'RemoveContact', { contactId: string; removedAt: Instant }>;

/** Add a phone number to the contract (`main-account` permission). */
export type AddPhone = Command<'AddPhone', { phone: PhoneNumber; addedAt: Instant }>;

/** Remove a phone number from the contract (`main-account` permission). */
export type RemovePhone = Command<'RemovePhone', { phone: PhoneNumber; removedAt: Instant }>;

/** Change the contract's default payment method (`billing` permission). */
export type ChangeDefaultPaymentMethod = Command<
  'ChangeDefaultPaymentMethod',
  { paymentMethod: PaymentMethod; changedAt: Instant }
>;

/** Every command of the Contract aggregate. */
export type ContractCommand =
  | OpenContract
  | InviteUser
  | AcceptInvitation
  | RevokeInvitation
  | ExpireInvitation
  | ChangeUserPermissions
  | RemoveUser
  | TransferOwnership
  | AddContact
  | RemoveContact
  | AddPhone
  | RemovePhone
  | ChangeDefaultPaymentMethod;

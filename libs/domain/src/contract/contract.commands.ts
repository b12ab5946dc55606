import type { FinalCallbackStatus } from '../callback/callback.state';
import type { Command } from '../shared/decider';
import type { PaymentMethodInput } from '../value-objects/payment-method';

/**
 * Contract commands carry what a client sent, unparsed: the decider parses every value it keeps (CPF or CNPJ,
 * e-mail, phone, permissions, payment method) and refuses a bad one with VALIDATION_FAILED naming the field.
 */

/**
 * Open a new contract. The actor (any logged-in user) becomes its owner, with the e-mail of their login;
 * `ownerName` is how the owner is addressed, when known. `document` is a CPF or a CNPJ, digits or punctuated;
 * `phones` are Brazilian numbers in any usual writing; without `paymentMethod` the contract pays by boleto.
 */
export type OpenContract = Command<
  'OpenContract',
  {
    contractId: string;
    ownerName?: string;
    holderName: string;
    document: string;
    phones: readonly string[];
    paymentMethod?: PaymentMethodInput;
  }
>;

/** Invite an e-mail address to become a user with these permissions (owner only). */
export type InviteUser = Command<
  'InviteUser',
  { invitationId: string; email: string; permissions: readonly string[] }
>;

/** Accept an invitation as the logged-in actor, whose e-mail must be the invited one. */
export type AcceptInvitation = Command<'AcceptInvitation', { invitationId: string }>;

/** Withdraw a pending invitation (owner only). */
export type RevokeInvitation = Command<'RevokeInvitation', { invitationId: string }>;

/** Expire an invitation if it is due as of `metadata.now` (the billing clock); otherwise nothing happens. */
export type ExpireInvitation = Command<'ExpireInvitation', { invitationId: string }>;

/** Replace a user's permissions (owner only; never the owner's, never one's own). */
export type ChangeUserPermissions = Command<
  'ChangeUserPermissions',
  { userId: string; permissions: readonly string[] }
>;

/** Remove a user from the contract (owner only; never the owner, never oneself). */
export type RemoveUser = Command<'RemoveUser', { userId: string }>;

/** Make an existing user the owner (staff with the `admin` role only). */
export type TransferOwnership = Command<'TransferOwnership', { newOwnerUserId: string }>;

/** Add a notification-only contact (`contacts` permission). */
export type AddContact = Command<
  'AddContact',
  { contactId: string; name: string; email: string; categories: readonly string[] }
>;

/** Remove a contact (`contacts` permission). */
export type RemoveContact = Command<'RemoveContact', { contactId: string }>;

/** Add a phone number to the contract (`main-account` permission). */
export type AddPhone = Command<'AddPhone', { phone: string }>;

/** Remove a phone number from the contract (`main-account` permission). */
export type RemovePhone = Command<'RemovePhone', { phone: string }>;

/** Change the contract's default payment method (`billing` permission). */
export type ChangeDefaultPaymentMethod = Command<
  'ChangeDefaultPaymentMethod',
  { paymentMethod: PaymentMethodInput }
>;

/**
 * A user with the `tickets` permission (the actor, its requester) asks to be called on one of the contract's
 * phones. The contract decides it on its own phones and its own record of open requests, so the
 * one-open-request-per-user rule holds under concurrency: two requests sent at once conflict on this stream's
 * revision, and the later one, decided again on the first one's event, is refused. The call-back's own stream is
 * written after, from the event.
 */
export type OpenCallbackRequest = Command<
  'OpenCallbackRequest',
  { callbackId: string; phone: string; topic?: string }
>;

/**
 * A call-back request ended on its own stream (completed, unreachable or cancelled, as that stream says): free
 * its requester's slot. Sent by whoever ended it (staff, the requester) or by the system.
 */
export type CloseCallbackRequest = Command<
  'CloseCallbackRequest',
  { callbackId: string; outcome: FinalCallbackStatus }
>;

/**
 * Every command of the Contract aggregate. Only `OpenContract` names the contract: the others are sent to the
 * stream of an open one, whose id the events repeat.
 */
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
  | ChangeDefaultPaymentMethod
  | OpenCallbackRequest
  | CloseCallbackRequest;

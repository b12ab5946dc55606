import type { FinalCallbackStatus } from '../callback/callback.state';
import type { Message } from '../shared/decider';
import type { Instant } from '../value-objects/calendar';
import type { Email } from '../value-objects/email';
import type { PaymentMethod } from '../value-objects/payment-method';
import type { Permission } from '../value-objects/permission';
import type { PhoneNumber } from '../value-objects/phone-number';
import type { TaxDocument } from '../value-objects/tax-document';
import type { ContactCategory } from './contact-category';

/** The contract's owner: the login that opened it (or received it by a staff transfer). */
export type ContractOwner = Readonly<{ userId: string; email: Email; name: string | null }>;

/** A contract opened with its owner, holder, document, phones and default payment method. */
export type ContractOpened = Message<
  'ContractOpened',
  {
    contractId: string;
    owner: ContractOwner;
    holderName: string;
    document: TaxDocument;
    phones: readonly PhoneNumber[];
    paymentMethod: PaymentMethod;
    openedAt: Instant;
  }
>;

/** The owner invited an e-mail address to become a user with these permissions, until `expiresAt`. */
export type UserInvited = Message<
  'UserInvited',
  {
    contractId: string;
    invitationId: string;
    email: Email;
    permissions: readonly Permission[];
    invitedAt: Instant;
    expiresAt: Instant;
  }
>;

/** The invited person, logged in as `userId`, accepted: they are now a user with the invited permissions. */
export type InvitationAccepted = Message<
  'InvitationAccepted',
  {
    contractId: string;
    invitationId: string;
    userId: string;
    email: Email;
    permissions: readonly Permission[];
    acceptedAt: Instant;
  }
>;

/** The owner withdrew a pending invitation. */
export type InvitationRevoked = Message<
  'InvitationRevoked',
  { contractId: string; invitationId: string; revokedAt: Instant }
>;

/** A pending invitation reached its expiry (recorded by the billing clock, or before a new invitation). */
export type InvitationExpired = Message<
  'InvitationExpired',
  { contractId: string; invitationId: string; expiredAt: Instant }
>;

/** The owner replaced a user's permissions. */
export type UserPermissionsChanged = Message<
  'UserPermissionsChanged',
  { contractId: string; userId: string; permissions: readonly Permission[]; changedAt: Instant }
>;

/** The owner removed a user from the contract. */
export type UserRemoved = Message<'UserRemoved', { contractId: string; userId: string; removedAt: Instant }>;

/**
 * Staff made an existing user the owner; the previous owner stays as an ordinary user with every permission.
 */
export type ContractOwnershipTransferred = Message<
  'ContractOwnershipTransferred',
  {
    contractId: string;
    previousOwner: ContractOwner;
    newOwner: Readonly<{ userId: string; email: Email }>;
    transferredAt: Instant;
  }
>;

/** A notification-only contact was added. */
export type ContactAdded = Message<
  'ContactAdded',
  {
    contractId: string;
    contactId: string;
    name: string;
    email: Email;
    categories: readonly ContactCategory[];
    addedAt: Instant;
  }
>;

/** A contact was removed. */
export type ContactRemoved = Message<
  'ContactRemoved',
  { contractId: string; contactId: string; removedAt: Instant }
>;

/** A phone number was added to the contract (call-backs may only be made to these). */
export type PhoneAdded = Message<'PhoneAdded', { contractId: string; phone: PhoneNumber; addedAt: Instant }>;

/** A phone number was removed from the contract. */
export type PhoneRemoved = Message<
  'PhoneRemoved',
  { contractId: string; phone: PhoneNumber; removedAt: Instant }
>;

/** The contract's default payment method (services without their own method use it) changed. */
export type DefaultPaymentMethodChanged = Message<
  'DefaultPaymentMethodChanged',
  { contractId: string; paymentMethod: PaymentMethod; changedAt: Instant }
>;

/**
 * A user asked to be called on one of the contract's phones, and the contract took it as that user's one open
 * request. The call-back's own stream (`callback-<callbackId>`) is written from this event.
 */
export type CallbackRequestOpened = Message<
  'CallbackRequestOpened',
  {
    contractId: string;
    callbackId: string;
    userId: string;
    phone: PhoneNumber;
    topic: string | null;
    openedAt: Instant;
  }
>;

/** A call-back request ended on its own stream (`outcome`): its requester may ask for another. */
export type CallbackRequestClosed = Message<
  'CallbackRequestClosed',
  {
    contractId: string;
    callbackId: string;
    userId: string;
    outcome: FinalCallbackStatus;
    closedAt: Instant;
  }
>;

/** Every event of the Contract aggregate. */
export type ContractEvent =
  | ContractOpened
  | UserInvited
  | InvitationAccepted
  | InvitationRevoked
  | InvitationExpired
  | UserPermissionsChanged
  | UserRemoved
  | ContractOwnershipTransferred
  | ContactAdded
  | ContactRemoved
  | PhoneAdded
  | PhoneRemoved
  | DefaultPaymentMethodChanged
  | CallbackRequestOpened
  | CallbackRequestClosed;

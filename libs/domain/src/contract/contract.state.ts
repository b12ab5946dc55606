import type { Instant } from '../value-objects/calendar';
import type { Email } from '../value-objects/email';
import type { PaymentMethod } from '../value-objects/payment-method';
import { PERMISSIONS, type Permission } from '../value-objects/permission';
import type { PhoneNumber } from '../value-objects/phone-number';
import type { TaxDocument } from '../value-objects/tax-document';
import type { ContactCategory } from './contact-category';
import type { ContractEvent, ContractOpened, ContractOwner } from './contract.events';

/** A user of the contract other than the owner, with the permissions the owner gave them. */
export type ContractUser = Readonly<{ userId: string; email: Email; permissions: readonly Permission[] }>;

/**
 * An invitation to become a user. `pending` until accepted, revoked by the owner, or expired: an invitation is
 * valid for {@link INVITATION_VALIDITY_HOURS} hours after the instant it was sent.
 */
export type Invitation = Readonly<{
  invitationId: string;
  email: Email;
  permissions: readonly Permission[];
  invitedAt: Instant;
  expiresAt: Instant;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  acceptedBy: string | null;
}>;

/** A notification-only contact: an address that receives the e-mails of its categories, not a login. */
export type Contact = Readonly<{
  contactId: string;
  name: string;
  email: Email;
  categories: readonly ContactCategory[];
}>;

/**
 * A call-back request as the contract knows it: who asked, for which phone and topic, and whether it is still
 * `open`. At most one open request per user: the contract is where that rule is decided.
 */
export type CallbackRequestRecord = Readonly<{
  callbackId: string;
  userId: string;
  phone: PhoneNumber;
  topic: string | null;
  openedAt: Instant;
  status: 'open' | 'closed';
}>;

/** How long an invitation can be accepted after it is sent: 7 days of 24 hours, not 7 calendar days. */
export const INVITATION_VALIDITY_HOURS = 168;

/** A contract before it is opened, or an open one. Contracts are never closed. */
export type ContractState =
  | Readonly<{ status: 'not_opened' }>
  | Readonly<{
      status: 'open';
      contractId: string;
      owner: ContractOwner;
      holderName: string;
      document: TaxDocument;
      /** Every user but the owner, who is never in this list. */
      users: readonly ContractUser[];
      /** Every invitation ever sent, whatever became of it, so a repeated command can be recognised. */
      invitations: readonly Invitation[];
      contacts: readonly Contact[];
      phones: readonly PhoneNumber[];
      paymentMethod: PaymentMethod;
      openedAt: Instant;
      /** Every call-back request ever made, open or closed, so a repeated command can be recognised. */
      callbackRequests: readonly CallbackRequestRecord[];
    }>;

/** An opened contract. */
export type OpenContractState = Extract<ContractState, { status: 'open' }>;

/** The state of a contract that has no events yet. */
export const initialContractState = (): ContractState => ({ status: 'not_opened' });

const setInvitation = (
  state: OpenContractState,
  invitationId: string,
  change: Pick<Invitation, 'status' | 'acceptedBy'>,
): readonly Invitation[] =>
  state.invitations.map((invitation) =>
    invitation.invitationId === invitationId ? { ...invitation, ...change } : invitation,
  );

const evolveOpen = (
  state: OpenContractState,
  event: Exclude<ContractEvent, ContractOpened>,
): ContractState => {
  switch (event.type) {
    case 'UserInvited': {
      const { invitationId, email, permissions, invitedAt, expiresAt } = event.data;
      const invitation: Invitation = {
        invitationId,
        email,
        permissions,
        invitedAt,
        expiresAt,
        status: 'pending',
        acceptedBy: null,
      };
      return { ...state, invitations: [...state.invitations, invitation] };
    }
    case 'InvitationAccepted': {
      const { invitationId, userId, email, permissions } = event.data;
      return {
        ...state,
        invitations: setInvitation(state, invitationId, { status: 'accepted', acceptedBy: userId }),
        users: [...state.users, { userId, email, permissions }],
      };
    }
    case 'InvitationRevoked':
      return {
        ...state,
        invitations: setInvitation(state, event.data.invitationId, { status: 'revoked', acceptedBy: null }),
      };
    case 'InvitationExpired':
      return {
        ...state,
        invitations: setInvitation(state, event.data.invitationId, { status: 'expired', acceptedBy: null }),
      };
    case 'UserPermissionsChanged': {
      const { userId, permissions } = event.data;
      return {
        ...state,
        users: state.users.map((user) => (user.userId === userId ? { ...user, permissions } : user)),
      };
    }
    case 'UserRemoved':
      return { ...state, users: state.users.filter((user) => user.userId !== event.data.userId) };
    case 'ContractOwnershipTransferred': {
      const { previousOwner, newOwner } = event.data;
      const previous: ContractUser = {
        userId: previousOwner.userId,
        email: previousOwner.email,
        permissions: PERMISSIONS,
      };
      return {
        ...state,
        owner: { userId: newOwner.userId, email: newOwner.email, name: null },
        users: [...state.users.filter((user) => user.userId !== newOwner.userId), previous],
      };
    }
    case 'ContactAdded': {
      const { contactId, name, email, categories } = event.data;
      return { ...state, contacts: [...state.contacts, { contactId, name, email, categories }] };
    }
    case 'ContactRemoved':
      return {
        ...state,
        contacts: state.contacts.filter((contact) => contact.contactId !== event.data.contactId),
      };
    case 'PhoneAdded':
      return { ...state, phones: [...state.phones, event.data.phone] };
    case 'PhoneRemoved':
      return { ...state, phones: state.phones.filter((phone) => phone !== event.data.phone) };
    case 'DefaultPaymentMethodChanged':
      return { ...state, paymentMethod: event.data.paymentMethod };
    case 'CallbackRequestOpened': {
      const { callbackId, userId, phone, topic, openedAt } = event.data;
      const request: CallbackRequestRecord = { callbackId, userId, phone, topic, openedAt, status: 'open' };
      return { ...state, callbackRequests: [...state.callbackRequests, request] };
    }
    case 'CallbackRequestClosed':
      return {
        ...state,
        callbackRequests: state.callbackRequests.map((request) =>
          request.callbackId === event.data.callbackId ? { ...request, status: 'closed' } : request,
        ),
      };
    default: {
      // Compile-time exhaustiveness only: an event type this code does not know yet is ignored, not an error.
      const _unknown: never = event;
      return state;
    }
  }
};

/**
 * Applies one event to the state. Events that do not fit (an unknown type, anything before `ContractOpened`, a
 * second `ContractOpened`) leave the state as it was, so a newer event type never breaks an older reader.
 */
export const evolveContract = (state: ContractState, event: ContractEvent): ContractState => {
  if (event.type !== 'ContractOpened') return state.status === 'open' ? evolveOpen(state, event) : state;
  if (state.status === 'open') return state;
  const { contractId, owner, holderName, document, phones, paymentMethod, openedAt } = event.data;
  return {
    status: 'open',
    contractId,
    owner,
    holderName,
    document,
    users: [],
    invitations: [],
    contacts: [],
    phones,
    paymentMethod,
    openedAt,
    callbackRequests: [],
  };
};

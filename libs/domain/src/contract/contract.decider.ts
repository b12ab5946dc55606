import { parseCallbackText } from '../callback/callback-text';
import type { FinalCallbackStatus } from '../callback/callback.state';
import { type Actor, hasRole, isStaff } from '../shared/actor';
import { nowOf } from '../shared/command-time';
import type { Decider } from '../shared/decider';
import { DomainError, InvalidValueError } from '../shared/domain-error';
import { assertNever } from '../shared/exhaustive';
import type { Instant } from '../value-objects/calendar';
import { parseEmail } from '../value-objects/email';
import { parseIdentifier } from '../value-objects/identifier';
import { type PaymentMethod, parsePaymentMethod } from '../value-objects/payment-method';
import { type Permission, parsePermissions } from '../value-objects/permission';
import { type PhoneNumber, parsePhoneNumber } from '../value-objects/phone-number';
import { parseTaxDocument } from '../value-objects/tax-document';
import { parseContactCategories } from './contact-category';
import type {
  AcceptInvitation,
  AddContact,
  AddPhone,
  ChangeDefaultPaymentMethod,
  ChangeUserPermissions,
  CloseCallbackRequest,
  ContractCommand,
  ExpireInvitation,
  InviteUser,
  OpenCallbackRequest,
  OpenContract,
  RemoveContact,
  RemovePhone,
  RemoveUser,
  RevokeInvitation,
  TransferOwnership,
} from './contract.commands';
import type { ContractEvent } from './contract.events';
import {
  callbackRequestOf,
  hasPermission,
  isMember,
  isOwner,
  openCallbackRequestOf,
} from './contract.queries';
import {
  type ContractState,
  evolveContract,
  initialContractState,
  INVITATION_VALIDITY_HOURS,
  type Invitation,
  type OpenContractState,
} from './contract.state';

const MS_PER_HOUR = 3_600_000;

const fail = (code: DomainError['code'], message: string): never => {
  throw new DomainError(code, message);
};

const plusHours = (instant: Instant, hours: number): Instant =>
  new Date(Date.parse(instant) + hours * MS_PER_HOUR).toISOString();

const samePermissions = (a: readonly Permission[], b: readonly Permission[]): boolean =>
  a.join() === parsePermissions(b).join();

/**
 * Compares field by field, since a payment method read back from storage may have its keys reordered. The fields
 * of `a` are enough: two methods of the same kind have the same fields, and `method` differs otherwise.
 */
const samePaymentMethod = (a: PaymentMethod, b: PaymentMethod): boolean =>
  (Object.keys(a) as (keyof PaymentMethod)[]).every((field) => a[field] === b[field]);

/** The acting login, if the actor is one (the system is not). */
const userIdOf = (actor: Actor): string | undefined => (actor.kind === 'user' ? actor.userId : undefined);

const requireOpen = (state: ContractState): OpenContractState =>
  state.status === 'open' ? state : fail('NOT_FOUND', 'There is no such contract.');

/**
 * A customer outside the contract learns nothing about it: its existence is not revealed (404, not 403). Staff
 * may see any contract, so refusals to them are FORBIDDEN.
 */
const hideFromOutsiders = (state: OpenContractState, actor: Actor): void => {
  if (actor.kind === 'user' && !isMember(state, actor.userId) && !isStaff(actor)) {
    fail('NOT_FOUND', 'There is no such contract.');
  }
};

/** Lets the command through only if the actor is the owner, or a user holding `permission`. */
const authorize = (state: OpenContractState, actor: Actor, permission: Permission | 'owner'): void => {
  hideFromOutsiders(state, actor);
  const userId = userIdOf(actor) ?? '';
  if (permission === 'owner' && !isOwner(state, userId)) {
    fail('FORBIDDEN', 'Only the owner of the contract may do this.');
  } else if (permission !== 'owner' && !hasPermission(state, userId, permission)) {
    fail('FORBIDDEN', `This requires the ${permission} permission on the contract.`);
  }
};

/**
 * The checks before the owner edits or removes a user, most specific first: the owner is never edited (even by
 * themself), nobody edits themself, only the owner edits, and the user must exist.
 */
const authorizeUserEdit = (state: OpenContractState, actor: Actor, userId: string): void => {
  hideFromOutsiders(state, actor);
  if (isOwner(state, userId)) {
    fail('OWNER_NOT_EDITABLE', 'The owner always has every permission and cannot be edited.');
  }
  if (userIdOf(actor) === userId) fail('CANNOT_EDIT_SELF', 'Nobody can edit their own access.');
  authorize(state, actor, 'owner');
  if (!state.users.some((user) => user.userId === userId)) {
    fail('NOT_FOUND', 'There is no such user on the contract.');
  }
};

const findInvitation = (state: OpenContractState, invitationId: string): Invitation =>
  state.invitations.find((invitation) => invitation.invitationId === invitationId) ??
  fail('NOT_FOUND', 'There is no such invitation.');

const isExpiredAt = (invitation: Invitation, at: Instant): boolean =>
  Date.parse(at) >= Date.parse(invitation.expiresAt);

/** Longest name (holder, owner, contact) accepted, in characters, after trimming. */
export const CONTRACT_NAME_MAX_LENGTH = 200;

const nonBlank = (value: unknown, field: string): string => {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed === '') throw new InvalidValueError(field, `${field} must not be blank`);
  if (trimmed.length > CONTRACT_NAME_MAX_LENGTH) {
    throw new InvalidValueError(field, `${field} must have at most ${CONTRACT_NAME_MAX_LENGTH} characters`);
  }
  return trimmed;
};

/** Parses each phone, naming the one refused by its place in the list. */
const parsePhones = (phones: readonly string[]): readonly PhoneNumber[] => {
  const list: unknown = phones;
  if (!Array.isArray(list)) throw new InvalidValueError('phones', 'phones must be a list');
  return phones.map((phone, index) => {
    try {
      return parsePhoneNumber(phone);
    } catch (error) {
      if (error instanceof InvalidValueError) throw new InvalidValueError(`phones[${index}]`, error.message);
      throw error;
    }
  });
};

/** Opens the contract once, owned by the actor; opening it again is refused (ALREADY_EXISTS) even with the same data. */
const openContract = (command: OpenContract, state: ContractState): readonly ContractEvent[] => {
  if (state.status === 'open') fail('ALREADY_EXISTS', 'This contract is already open.');
  const { actor } = command.metadata;
  if (actor.kind !== 'user') return fail('FORBIDDEN', 'A contract is opened by a logged-in user.');
  const { ownerName, holderName, paymentMethod } = command.data;
  const openedAt = nowOf(command);
  return [
    {
      type: 'ContractOpened',
      data: {
        contractId: parseIdentifier(command.data.contractId, 'contractId'),
        owner: {
          userId: actor.userId,
          email: parseEmail(actor.email),
          name: ownerName === undefined ? null : nonBlank(ownerName, 'ownerName'),
        },
        holderName: nonBlank(holderName, 'holderName'),
        document: parseTaxDocument(command.data.document),
        phones: [...new Set(parsePhones(command.data.phones))],
        paymentMethod:
          paymentMethod === undefined ? { method: 'boleto' } : parsePaymentMethod(paymentMethod, openedAt),
        openedAt,
      },
    },
  ];
};

/**
 * Invites an e-mail address. Sending the same invitation id again with the same e-mail and permissions changes
 * nothing; a pending invitation to the same e-mail that is already past its expiry is expired first.
 */
const inviteUser = (command: InviteUser, state: OpenContractState): readonly ContractEvent[] => {
  const { contractId } = state;
  authorize(state, command.metadata.actor, 'owner');
  const invitedAt = nowOf(command);
  const invitationId = parseIdentifier(command.data.invitationId, 'invitationId');
  const email = parseEmail(command.data.email);
  const permissions = parsePermissions(command.data.permissions);
  const same = state.invitations.find((invitation) => invitation.invitationId === invitationId);
  if (same) {
    if (same.email === email && samePermissions(same.permissions, permissions)) return [];
    fail('ALREADY_EXISTS', 'Another invitation already has this id.');
  }
  if (state.owner.email === email || state.users.some((user) => user.email === email)) {
    fail('ALREADY_A_USER', 'This e-mail already belongs to a user of the contract.');
  }
  const pending = state.invitations.find(
    (invitation) => invitation.email === email && invitation.status === 'pending',
  );
  const expired: ContractEvent[] = [];
  if (pending && !isExpiredAt(pending, invitedAt)) {
    fail('INVITATION_PENDING', 'This e-mail already has a pending invitation to the contract.');
  } else if (pending) {
    expired.push({
      type: 'InvitationExpired',
      data: { contractId, invitationId: pending.invitationId, expiredAt: pending.expiresAt },
    });
  }
  return [
    ...expired,
    {
      type: 'UserInvited',
      data: {
        contractId,
        invitationId,
        email,
        permissions,
        invitedAt,
        expiresAt: plusHours(invitedAt, INVITATION_VALIDITY_HOURS),
      },
    },
  ];
};

/**
 * Accepts an invitation as the logged-in actor. Accepting again an invitation one already accepted changes
 * nothing; an invitation accepted by someone else or revoked cannot be accepted (INVALID_TRANSITION).
 */
const acceptInvitation = (command: AcceptInvitation, state: OpenContractState): readonly ContractEvent[] => {
  const { contractId } = state;
  const { invitationId } = command.data;
  const { actor } = command.metadata;
  if (actor.kind !== 'user') return fail('FORBIDDEN', 'An invitation is accepted by a logged-in user.');
  const acceptedAt = nowOf(command);
  const invitation = findInvitation(state, invitationId);
  if (actor.email.trim().toLowerCase() !== invitation.email) {
    fail('INVITATION_NOT_FOR_YOU', 'This invitation was sent to another e-mail address.');
  }
  if (invitation.acceptedBy === actor.userId) return [];
  if (invitation.status === 'accepted' || invitation.status === 'revoked') {
    fail('INVALID_TRANSITION', `This invitation was ${invitation.status} and can no longer be accepted.`);
  }
  if (invitation.status === 'expired' || isExpiredAt(invitation, acceptedAt)) {
    fail(
      'INVITATION_EXPIRED',
      `This invitation expired on ${invitation.expiresAt}; ask the owner for a new one.`,
    );
  }
  if (isMember(state, actor.userId)) fail('ALREADY_A_USER', 'You are already a user of this contract.');
  const { email, permissions } = invitation;
  return [
    {
      type: 'InvitationAccepted',
      data: { contractId, invitationId, userId: actor.userId, email, permissions, acceptedAt },
    },
  ];
};

/** Revokes a pending invitation; revoking it again changes nothing. */
const revokeInvitation = (command: RevokeInvitation, state: OpenContractState): readonly ContractEvent[] => {
  const { contractId } = state;
  const { invitationId } = command.data;
  authorize(state, command.metadata.actor, 'owner');
  const revokedAt = nowOf(command);
  const invitation = findInvitation(state, invitationId);
  if (invitation.status === 'revoked') return [];
  if (invitation.status !== 'pending') {
    fail('INVALID_TRANSITION', `This invitation was ${invitation.status} and can no longer be revoked.`);
  }
  return [{ type: 'InvitationRevoked', data: { contractId, invitationId, revokedAt } }];
};

/**
 * The billing clock's rule: a pending invitation past its expiry as of `metadata.now` is recorded as expired.
 * Any other case (not yet due, already accepted, revoked or expired) changes nothing, so running the clock twice
 * is harmless; for the same reason any actor may send it.
 */
const expireInvitation = (command: ExpireInvitation, state: OpenContractState): readonly ContractEvent[] => {
  const { contractId } = state;
  const { invitationId } = command.data;
  const at = nowOf(command);
  const invitation = findInvitation(state, invitationId);
  if (invitation.status !== 'pending' || !isExpiredAt(invitation, at)) return [];
  return [{ type: 'InvitationExpired', data: { contractId, invitationId, expiredAt: invitation.expiresAt } }];
};

/** Replaces a user's permissions; giving the permissions they already have changes nothing. */
const changeUserPermissions = (
  command: ChangeUserPermissions,
  state: OpenContractState,
): readonly ContractEvent[] => {
  const { contractId } = state;
  const { userId } = command.data;
  authorizeUserEdit(state, command.metadata.actor, userId);
  const changedAt = nowOf(command);
  const permissions = parsePermissions(command.data.permissions);
  const user = state.users.find((candidate) => candidate.userId === userId);
  if (user && samePermissions(user.permissions, permissions)) return [];
  return [{ type: 'UserPermissionsChanged', data: { contractId, userId, permissions, changedAt } }];
};

/** Removes a user; removing one who is not (or no longer) a user is NOT_FOUND. */
const removeUser = (command: RemoveUser, state: OpenContractState): readonly ContractEvent[] => {
  const { contractId } = state;
  const { userId } = command.data;
  authorizeUserEdit(state, command.metadata.actor, userId);
  return [{ type: 'UserRemoved', data: { contractId, userId, removedAt: nowOf(command) } }];
};

/** Staff (`admin`) make an existing user the owner; transferring to the current owner changes nothing. */
const transferOwnership = (
  command: TransferOwnership,
  state: OpenContractState,
): readonly ContractEvent[] => {
  const { contractId } = state;
  const { newOwnerUserId } = command.data;
  const { actor } = command.metadata;
  hideFromOutsiders(state, actor);
  if (!hasRole(actor, 'admin')) {
    fail('FORBIDDEN', 'Only an administrator may transfer the ownership of a contract.');
  }
  const transferredAt = nowOf(command);
  if (isOwner(state, newOwnerUserId)) return [];
  const user =
    state.users.find((candidate) => candidate.userId === newOwnerUserId) ??
    fail('NOT_FOUND', 'The new owner must already be a user of the contract.');
  return [
    {
      type: 'ContractOwnershipTransferred',
      data: {
        contractId,
        previousOwner: state.owner,
        newOwner: { userId: user.userId, email: user.email },
        transferredAt,
      },
    },
  ];
};

/**
 * Adds a contact. The same contact id with the same data again changes nothing; another contact with the same
 * id or e-mail is refused (ALREADY_EXISTS).
 */
const addContact = (command: AddContact, state: OpenContractState): readonly ContractEvent[] => {
  const { contractId } = state;
  authorize(state, command.metadata.actor, 'contacts');
  const addedAt = nowOf(command);
  const contactId = parseIdentifier(command.data.contactId, 'contactId');
  const email = parseEmail(command.data.email);
  const name = nonBlank(command.data.name, 'name');
  const categories = parseContactCategories(command.data.categories);
  const same = state.contacts.find((contact) => contact.contactId === contactId);
  const identical =
    same?.name === name && same.email === email && same.categories.join() === categories.join();
  if (identical) return [];
  if (same || state.contacts.some((contact) => contact.email === email)) {
    fail('ALREADY_EXISTS', 'The contract already has this contact.');
  }
  return [{ type: 'ContactAdded', data: { contractId, contactId, name, email, categories, addedAt } }];
};

/** Removes a contact; removing one that is not (or no longer) there is NOT_FOUND. */
const removeContact = (command: RemoveContact, state: OpenContractState): readonly ContractEvent[] => {
  const { contractId } = state;
  const { contactId } = command.data;
  authorize(state, command.metadata.actor, 'contacts');
  const removedAt = nowOf(command);
  if (!state.contacts.some((contact) => contact.contactId === contactId)) {
    fail('NOT_FOUND', 'There is no such contact on the contract.');
  }
  return [{ type: 'ContactRemoved', data: { contractId, contactId, removedAt } }];
};

/** Adds a phone number; one the contract already has is refused (ALREADY_EXISTS). */
const addPhone = (command: AddPhone, state: OpenContractState): readonly ContractEvent[] => {
  const { contractId } = state;
  authorize(state, command.metadata.actor, 'main-account');
  const addedAt = nowOf(command);
  const phone = parsePhoneNumber(command.data.phone);
  if (state.phones.includes(phone)) fail('ALREADY_EXISTS', 'The contract already has this phone number.');
  return [{ type: 'PhoneAdded', data: { contractId, phone, addedAt } }];
};

/** Removes a phone number; one the contract does not have is NOT_FOUND. */
const removePhone = (command: RemovePhone, state: OpenContractState): readonly ContractEvent[] => {
  const { contractId } = state;
  authorize(state, command.metadata.actor, 'main-account');
  const removedAt = nowOf(command);
  const phone = parsePhoneNumber(command.data.phone);
  if (!state.phones.includes(phone)) fail('NOT_FOUND', 'The contract has no such phone number.');
  return [{ type: 'PhoneRemoved', data: { contractId, phone, removedAt } }];
};

/**
 * Changes the default payment method, parsed as of the command's time: a card number or a security code
 * anywhere, an expired card or a field the method does not have is refused before anything is written. The
 * method already in place again changes nothing.
 */
const changeDefaultPaymentMethod = (
  command: ChangeDefaultPaymentMethod,
  state: OpenContractState,
): readonly ContractEvent[] => {
  const { contractId } = state;
  authorize(state, command.metadata.actor, 'billing');
  const changedAt = nowOf(command);
  const paymentMethod = parsePaymentMethod(command.data.paymentMethod, changedAt);
  if (samePaymentMethod(state.paymentMethod, paymentMethod)) return [];
  return [{ type: 'DefaultPaymentMethodChanged', data: { contractId, paymentMethod, changedAt } }];
};

const CALLBACK_OUTCOMES: readonly FinalCallbackStatus[] = ['completed', 'unreachable', 'cancelled'];

/**
 * Takes a call-back request as the requester's one open request on the contract. Checked in this order: who asks
 * (an outsider learns nothing; the `tickets` permission), the values, a repeat of the same request (nothing
 * happens) or another one under its id, the phone (`PHONE_NOT_ON_CONTRACT`), and last the one open request per
 * user (`CALLBACK_ALREADY_OPEN`, naming the open one).
 */
const openCallbackRequest = (
  command: OpenCallbackRequest,
  state: OpenContractState,
): readonly ContractEvent[] => {
  const { contractId } = state;
  const { actor } = command.metadata;
  hideFromOutsiders(state, actor);
  if (actor.kind !== 'user') return fail('FORBIDDEN', 'A call-back is asked for by a logged-in user.');
  authorize(state, actor, 'tickets');
  const openedAt = nowOf(command);
  const callbackId = parseIdentifier(command.data.callbackId, 'callbackId');
  const phone = parsePhoneNumber(command.data.phone);
  const topic = parseCallbackText('topic', command.data.topic);
  const same = callbackRequestOf(state, callbackId);
  if (same) {
    if (same.userId === actor.userId && same.phone === phone && same.topic === topic) return [];
    fail('ALREADY_EXISTS', 'Another call-back request already has this id.');
  }
  if (!state.phones.includes(phone)) {
    throw new DomainError('PHONE_NOT_ON_CONTRACT', 'Choose one of the contract’s phone numbers.', { phone });
  }
  const open = openCallbackRequestOf(state, actor.userId);
  if (open) {
    throw new DomainError(
      'CALLBACK_ALREADY_OPEN',
      'You already have an open call-back request on this contract.',
      { contractId, userId: actor.userId, callbackId: open.callbackId },
    );
  }
  return [
    {
      type: 'CallbackRequestOpened',
      data: { contractId, callbackId, userId: actor.userId, phone, topic, openedAt },
    },
  ];
};

/**
 * Frees the requester's slot once the request ended on its own stream, which decided who may end it: here the
 * sender must be one who could have (the requester, staff or the system). A request already closed changes
 * nothing.
 */
const closeCallbackRequest = (
  command: CloseCallbackRequest,
  state: OpenContractState,
): readonly ContractEvent[] => {
  const { contractId } = state;
  const { actor } = command.metadata;
  const closedAt = nowOf(command);
  const callbackId = parseIdentifier(command.data.callbackId, 'callbackId');
  const { outcome } = command.data;
  if (!CALLBACK_OUTCOMES.includes(outcome)) {
    throw new InvalidValueError('outcome', `The outcome must be one of: ${CALLBACK_OUTCOMES.join(', ')}.`);
  }
  const request =
    callbackRequestOf(state, callbackId) ??
    fail('NOT_FOUND', 'There is no such call-back request on the contract.');
  if (actor.kind === 'user' && !isStaff(actor) && actor.userId !== request.userId) {
    fail('FORBIDDEN', 'Only the requester or staff end a call-back request.');
  }
  if (request.status === 'closed') return [];
  return [
    {
      type: 'CallbackRequestClosed',
      data: { contractId, callbackId, userId: request.userId, outcome, closedAt },
    },
  ];
};

/**
 * Decides what a command does to a contract: the events it produces, `[]` for a repeat that already took effect,
 * or a {@link DomainError}. Authorization is decided here, on the contract's own users and permissions: a customer
 * outside the contract gets NOT_FOUND, a member without the right gets FORBIDDEN.
 */
export const decideContract = (command: ContractCommand, state: ContractState): readonly ContractEvent[] => {
  if (command.type === 'OpenContract') return openContract(command, state);
  const open = requireOpen(state);
  switch (command.type) {
    case 'InviteUser':
      return inviteUser(command, open);
    case 'AcceptInvitation':
      return acceptInvitation(command, open);
    case 'RevokeInvitation':
      return revokeInvitation(command, open);
    case 'ExpireInvitation':
      return expireInvitation(command, open);
    case 'ChangeUserPermissions':
      return changeUserPermissions(command, open);
    case 'RemoveUser':
      return removeUser(command, open);
    case 'TransferOwnership':
      return transferOwnership(command, open);
    case 'AddContact':
      return addContact(command, open);
    case 'RemoveContact':
      return removeContact(command, open);
    case 'AddPhone':
      return addPhone(command, open);
    case 'RemovePhone':
      return removePhone(command, open);
    case 'ChangeDefaultPaymentMethod':
      return changeDefaultPaymentMethod(command, open);
    case 'OpenCallbackRequest':
      return openCallbackRequest(command, open);
    case 'CloseCallbackRequest':
      return closeCallbackRequest(command, open);
    default:
      return assertNever(command);
  }
};

/**
 * The Contract aggregate (stream `contract-<id>`): its users, invitations, contacts, phones, payment method, and
 * which user has which call-back request open.
 */
export const contractDecider: Decider<ContractCommand, ContractEvent, ContractState> = {
  initialState: initialContractState,
  evolve: evolveContract,
  decide: decideContract,
};

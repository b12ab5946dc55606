import { type Email, emailDomain } from '../value-objects/email';
import { PERMISSIONS, type Permission } from '../value-objects/permission';
import type { PhoneNumber } from '../value-objects/phone-number';
import type { CallbackRequestRecord, ContractState } from './contract.state';

/** Whether `userId` is the contract's owner. */
export const isOwner = (state: ContractState, userId: string): boolean =>
  state.status === 'open' && state.owner.userId === userId;

/** Whether `userId` belongs to the contract: its owner or one of its users. */
export const isMember = (state: ContractState, userId: string): boolean =>
  permissionsOf(state, userId) !== undefined;

/** The permissions `userId` holds on the contract (every one for the owner); `undefined` for a non-member. */
export const permissionsOf = (state: ContractState, userId: string): readonly Permission[] | undefined => {
  if (state.status !== 'open') return undefined;
  if (state.owner.userId === userId) return PERMISSIONS;
  return state.users.find((user) => user.userId === userId)?.permissions;
};

/** Whether `userId` holds `permission` on the contract; the owner holds every permission. */
export const hasPermission = (state: ContractState, userId: string, permission: Permission): boolean =>
  permissionsOf(state, userId)?.includes(permission) ?? false;

/** Whether `phone` is one of the contract's phone numbers (a call-back may only be made to one of them). */
export const hasPhone = (state: ContractState, phone: PhoneNumber): boolean =>
  state.status === 'open' && state.phones.includes(phone);

/** The call-back request `userId` has open on the contract, if any (there is at most one). */
export const openCallbackRequestOf = (
  state: ContractState,
  userId: string,
): CallbackRequestRecord | undefined =>
  state.status === 'open'
    ? state.callbackRequests.find((request) => request.userId === userId && request.status === 'open')
    : undefined;

/** The contract's record of a call-back request, open or closed. */
export const callbackRequestOf = (
  state: ContractState,
  callbackId: string,
): CallbackRequestRecord | undefined =>
  state.status === 'open'
    ? state.callbackRequests.find((request) => request.callbackId === callbackId)
    : undefined;

/**
 * The contract's notification addresses: the owner's e-mail and every contact's. Invoice reminders, ticket
 * notifications and incident alerts go to them.
 */
export const notificationAddresses = (state: ContractState): readonly Email[] =>
  state.status === 'open' ? [state.owner.email, ...state.contacts.map((contact) => contact.email)] : [];

const isOnDomain = (email: Email, domain: string): boolean => {
  const host = emailDomain(email);
  const hosted = domain.toLowerCase();
  return host === hosted || host.endsWith(`.${hosted}`);
};

/**
 * Whether every notification address of the contract is on one of `domains` (the domains the contract itself
 * hosts), a subdomain counting as its domain. The read model flags such a contract: if that hosting is suspended,
 * the reminders about it stop arriving. False for a contract not opened or when `domains` is empty.
 */
export const allNotificationAddressesOnDomains = (
  state: ContractState,
  domains: readonly string[],
): boolean => {
  const addresses = notificationAddresses(state);
  return (
    addresses.length > 0 && addresses.every((email) => domains.some((domain) => isOnDomain(email, domain)))
  );
};

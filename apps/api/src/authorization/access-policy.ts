import {
  DomainError,
  hasPermission,
  isMember,
  isOwner,
  type ContractState,
  type Permission,
  type Role,
} from '@app/domain';
import type { Caller } from '@app/platform';

/** Roles that act on any contract in the back office; `admin` may do whatever another of them may. */
export type StaffRole = Extract<Role, 'support' | 'billing' | 'admin'>;

/**
 * Who may send a command to a contract or to a resource that belongs to one. A customer needs to be a member and,
 * when named, the permission (the owner holds every one) or to be the owner; staff need one of the roles (admin
 * always qualifies where any staff role does). A rule with neither lets any member act.
 */
export type AccessRule = Readonly<{
  permission?: Permission;
  ownerOnly?: boolean;
  staff?: readonly StaffRole[];
  /** Every member may, beside the staff roles (a rule with staff roles alone is staff-only). */
  anyMember?: boolean;
}>;

export type AccessDecision = 'allowed' | 'forbidden' | 'not_found';

const hasStaffRole = (caller: Caller, allowed: readonly StaffRole[]): boolean =>
  allowed.length > 0 && caller.roles.some((role) => role === 'admin' || allowed.includes(role as StaffRole));

/** Whether the caller works for the provider (any role but customer): a contract's existence is no secret to them. */
export const isBackOffice = (caller: Caller): boolean => caller.roles.some((role) => role !== 'customer');

/**
 * Decides on the contract's own state (never a read model that may lag). A customer outside the contract learns
 * nothing of it: `not_found`, exactly as for a contract that does not exist.
 */
export const decideAccess = (caller: Caller, contract: ContractState, rule: AccessRule): AccessDecision => {
  if (contract.status !== 'open') return 'not_found';
  if (rule.staff && hasStaffRole(caller, rule.staff)) return 'allowed';
  const customerMayAct =
    rule.permission !== undefined ||
    rule.ownerOnly === true ||
    rule.anyMember === true ||
    rule.staff === undefined;
  if (!isMember(contract, caller.userId)) return isBackOffice(caller) ? 'forbidden' : 'not_found';
  if (!customerMayAct) return 'forbidden';
  if (rule.ownerOnly && !isOwner(contract, caller.userId)) return 'forbidden';
  if (rule.permission && !hasPermission(contract, caller.userId, rule.permission)) return 'forbidden';
  return 'allowed';
};

/**
 * Who may act on a resource only the person who asked for it may touch (cancelling a call-back): that requester,
 * whatever their permissions now. Anyone else who may see the contract (a member, staff) is refused; a customer
 * outside it learns nothing, as for a resource that does not exist.
 */
export const decideRequesterAccess = (
  caller: Caller,
  contract: ContractState,
  requesterUserId: string,
): AccessDecision => {
  if (contract.status !== 'open') return 'not_found';
  if (caller.userId === requesterUserId) return 'allowed';
  return isMember(contract, caller.userId) || isBackOffice(caller) ? 'forbidden' : 'not_found';
};

/** Whether the caller holds one of the staff roles, for commands that are not about one contract. */
export const decideStaffAccess = (caller: Caller, allowed: readonly StaffRole[]): AccessDecision =>
  hasStaffRole(caller, allowed) ? 'allowed' : 'forbidden';

/**
 * Throws the refusal for a decision: `not_found` with `notFoundMessage`, the same sentence a missing resource of
 * that kind gets, so the answer does not tell a stranger the resource exists.
 */
export const enforce = (decision: AccessDecision, notFoundMessage: string): void => {
  if (decision === 'not_found') throw new DomainError('NOT_FOUND', notFoundMessage);
  if (decision === 'forbidden') {
    throw new DomainError('FORBIDDEN', 'You do not have the permission this action needs.');
  }
};

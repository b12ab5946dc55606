import { SetMetadata } from '@nestjs/common';
import type { Caller, Role } from '@app/platform';

export const REQUIRED_ROLES = Symbol('requiredRoles');

/**
 * Lets only callers holding one of `roles` in, others get 403 FORBIDDEN: for endpoints that are a staff
 * role's alone (`@RequireRoles('admin')`, `@RequireRoles('auditor')`). What depends on a contract's
 * permissions is decided on the Contract aggregate instead.
 */
export const RequireRoles = (...roles: readonly [Role, ...Role[]]): ClassDecorator & MethodDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);

/** Whether the caller holds `role`; `admin` may do whatever another staff role (support, billing) may. */
export const callerHasRole = (caller: Caller, role: Role): boolean =>
  caller.roles.includes(role) ||
  ((role === 'support' || role === 'billing') && caller.roles.includes('admin'));

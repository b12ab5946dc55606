import { ROLES, type Role } from '@app/domain';

/**
 * The roles a token can carry. `customer` gets its rights from per-contract permissions; `support`, `billing`
 * and `admin` are staff who may read any contract's resources; `auditor` and `analyst` read the back-office
 * audit and analytics views.
 */
export { ROLES, STAFF_ROLES, type Role } from '@app/domain';

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/** Who is calling, as the bearer token says: its subject, e-mail and roles. */
export type Caller = Readonly<{
  userId: string;
  email: string;
  roles: readonly Role[];
}>;

/** The roles a login can hold (the JWT's `roles`). Customers act through their permissions on a contract. */
export const ROLES = ['customer', 'support', 'billing', 'admin', 'auditor', 'analyst'] as const;

/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** The roles of the provider's staff: they may act on any contract, within their role. */
export const STAFF_ROLES: readonly Role[] = ['support', 'billing', 'admin'];

/**
 * Who sends a command, and so who caused its events (the audit trail's "who").
 * - `user`: a logged-in person, from the verified token (`sub`, `email`, `roles`). A customer's rights on a
 *   contract come from their permissions there; a **staff member** is a user holding a staff role (support,
 *   billing, admin), so there is no separate staff kind.
 * - `system`: the automation (billing clock, reactors), named by the rule that acts (`suspend-unpaid`).
 */
export type Actor =
  | Readonly<{ kind: 'user'; userId: string; email: string; roles: readonly Role[] }>
  | Readonly<{ kind: 'system'; rule: string }>;

/** A logged-in person. */
export type UserActor = Extract<Actor, { kind: 'user' }>;

/** Whether the actor is a user holding `role`. */
export const hasRole = (actor: Actor, role: Role): boolean =>
  actor.kind === 'user' && actor.roles.includes(role);

/** Whether the actor is a staff member: a user with a staff role. */
export const isStaff = (actor: Actor): boolean =>
  actor.kind === 'user' && actor.roles.some((role) => STAFF_ROLES.includes(role));

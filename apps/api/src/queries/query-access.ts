import type { AccessRule } from '../authorization/access-policy';

/** Staff who may read any contract's resources (admin stands in for both). */
const READERS = ['support', 'billing'] as const;

/**
 * Who may read what (the HTTP contract's query table): members, a permission, plus the staff roles, who may read
 * any contract's resources. Decided on the contract's own state, like commands.
 */
export const QUERY_ACCESS = {
  contractSummary: { anyMember: true, staff: READERS },
  contractUsers: { anyMember: true, staff: READERS },
  contractInvitations: { anyMember: true, staff: READERS },
  contractContacts: { permission: 'contacts', staff: READERS },
  services: { permission: 'services.view', staff: READERS },
  invoices: { permission: 'billing', staff: READERS },
  notasFiscais: { permission: 'billing', staff: READERS },
  tickets: { permission: 'tickets', staff: READERS },
  callbacks: { permission: 'tickets', staff: READERS },
  alerts: { anyMember: true, staff: READERS },
} as const satisfies Record<string, AccessRule>;

export type QueryName = keyof typeof QUERY_ACCESS;

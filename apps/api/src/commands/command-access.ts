import type { AccessRule, StaffRole } from '../authorization/access-policy';

/**
 * Who may send each command endpoint, in one table (the HTTP contract's "who" column). Contract-scoped rules
 * are decided on the contract's own state; the staff-only commands about no contract on the role alone.
 */
export const CONTRACT_COMMAND_ACCESS = {
  // Accepting an invitation has no row: the invitee is not a member yet, so the decider alone decides (the
  // token's e-mail must be the invited one).
  inviteUser: { ownerOnly: true },
  revokeInvitation: { ownerOnly: true },
  // Owner only too, but decided by the Contract decider after its more specific refusals: the owner is never
  // edited (OWNER_NOT_EDITABLE) and nobody edits themself (CANNOT_EDIT_SELF), which an owner-only check here would
  // answer with a bare 403. Here: any member; outsiders still get 404, staff 403.
  changeUserPermissions: {},
  removeUser: {},
  transferOwnership: { staff: ['admin'] },
  addContact: { permission: 'contacts' },
  removeContact: { permission: 'contacts' },
  changeDefaultPaymentMethod: { permission: 'billing' },
  orderService: { permission: 'orders' },
  cancelService: { permission: 'orders', staff: ['billing'] },
  changeServicePaymentMethod: { permission: 'billing' },
  provisionService: { staff: ['admin'] },
  suspendService: { staff: ['billing'] },
  reactivateService: { staff: ['billing'] },
  recordPayment: { staff: ['billing'] },
  issueNotaFiscal: { permission: 'billing', staff: ['billing'] },
  refundInvoice: { staff: ['billing'] },
  cancelInvoice: { staff: ['billing'] },
  openTicket: { permission: 'tickets' },
  replyToTicket: { permission: 'tickets', staff: ['support'] },
  changeTicketStatus: { staff: ['support'] },
  closeTicket: { permission: 'tickets', staff: ['support'] },
  requestCallback: { permission: 'tickets' },
  // Cancelling a call-back (DELETE /callbacks/:id) is for its requester alone, which no rule here can say:
  // see decideRequesterAccess.
  recordCallbackOutcome: { staff: ['support'] },
} as const satisfies Record<string, AccessRule>;

export type ContractCommandName = keyof typeof CONTRACT_COMMAND_ACCESS;

/** Commands about no contract: only these staff roles (admin stands in for any). */
export const STAFF_COMMAND_ACCESS = {
  registerInstance: ['admin'],
  openIncident: ['admin'],
  updateIncident: ['admin'],
  resolveIncident: ['admin'],
  runBillingClock: ['admin'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type StaffCommandName = keyof typeof STAFF_COMMAND_ACCESS;

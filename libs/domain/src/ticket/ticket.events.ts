import type { Message } from '../shared/decider';

/** The support team a ticket is routed to; it also picks the contacts notified (technical, billing, commercial). */
export type TicketDepartment = 'technical' | 'billing' | 'sales';

/** How urgent the customer says the ticket is. */
export type TicketPriority = 'low' | 'medium' | 'high';

/** The customer user who opened the ticket: always notified of every interaction. */
export type TicketOpener = Readonly<{ userId: string; email: string }>;

/** Who wrote a message on a ticket: a customer user of the contract or a staff member. */
export type TicketAuthor =
  Readonly<{ kind: 'customer'; userId: string }> | Readonly<{ kind: 'staff'; staffId: string }>;

/** Who closed a ticket: the customer, a staff member, or the billing clock (`system`). */
export type TicketCloser = 'customer' | 'staff' | 'system';

/** Why a ticket was closed: on request, or by the billing clock after 72 hours without a reply to a staff answer. */
export type TicketCloseReason = 'requested' | 'idle';

/** A status staff may set by hand. */
export type StaffTicketStatus = 'in_progress' | 'on_hold';

/**
 * What every ticket event repeats so that a notifier can address the e-mail (opener, owner, contacts of the
 * department's category) without loading the stream.
 */
export type TicketReference = Readonly<{
  ticketId: string;
  contractId: string;
  subject: string;
  department: TicketDepartment;
  openedBy: TicketOpener;
}>;

/** A customer opened a ticket with its first message (whose message id is the ticket id). */
export type TicketOpened = Message<
  'TicketOpened',
  TicketReference & {
    priority: TicketPriority;
    serviceId: string | null;
    message: string;
    at: string;
  }
>;

/** A message was added: by staff (the ticket becomes Answered) or by a customer (it becomes Customer-Reply). */
export type TicketReplied = Message<
  'TicketReplied',
  TicketReference & { messageId: string; author: TicketAuthor; message: string; at: string }
>;

/** A closed ticket was reopened by a customer reply; always followed by that reply's `TicketReplied`. */
export type TicketReopened = Message<
  'TicketReopened',
  TicketReference & { by: Extract<TicketAuthor, { kind: 'customer' }>; at: string }
>;

/** Staff set the ticket In Progress or On Hold. */
export type TicketStatusChanged = Message<
  'TicketStatusChanged',
  TicketReference & { status: StaffTicketStatus; staffId: string; at: string }
>;

/** The ticket was closed. */
export type TicketClosed = Message<
  'TicketClosed',
  TicketReference & { by: TicketCloser; reason: TicketCloseReason; at: string }
>;

/** Every event of the ticket stream. */
export type TicketEvent = TicketOpened | TicketReplied | TicketReopened | TicketStatusChanged | TicketClosed;

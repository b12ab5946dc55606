import type { Command } from '../shared/decider';
import type { StaffTicketStatus, TicketDepartment, TicketPriority } from './ticket.events';

/**
 * A user with the `tickets` permission opens a ticket on a contract; the actor is its opener. A related service
 * comes with the contract it belongs to as its own stream says (`serviceContractId`, null when there is no such
 * service): a ticket names only a service of its own contract.
 */
export type OpenTicket = Command<
  'OpenTicket',
  {
    ticketId: string;
    contractId: string;
    subject: string;
    department: TicketDepartment;
    priority: TicketPriority;
    serviceId?: string;
    serviceContractId?: string | null;
    message: string;
  }
>;

/**
 * A customer user or a staff member adds a message: the actor is its author, staff when they hold a staff role.
 * `messageId` makes a repeat harmless.
 */
export type ReplyToTicket = Command<'ReplyToTicket', { messageId: string; message: string }>;

/** Staff set the ticket In Progress or On Hold. */
export type SetTicketStatus = Command<'SetTicketStatus', { status: StaffTicketStatus }>;

/** The customer, staff or the system closes the ticket; which of them is read from the actor. */
export type CloseTicket = Command<'CloseTicket', Readonly<Record<string, never>>>;

/** The billing clock closes the ticket if it has stayed Answered for 72 hours without a reply. */
export type CloseIdleTicket = Command<'CloseIdleTicket', Readonly<Record<string, never>>>;

/** Every command the ticket decider accepts. */
export type TicketCommand = OpenTicket | ReplyToTicket | SetTicketStatus | CloseTicket | CloseIdleTicket;

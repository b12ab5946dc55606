import type { Message } from '../shared/decider';
import type {
  StaffTicketStatus,
  TicketAuthor,
  TicketCloser,
  TicketDepartment,
  TicketOpener,
  TicketPriority,
} from './ticket.events';

/** A user with the `tickets` permission opens a ticket on a contract. */
export type OpenTicket = Message<
  'OpenTicket',
  {
    ticketId: string;
    contractId: string;
    openedBy: TicketOpener;
    subject: string;
    department: TicketDepartment;
    priority: TicketPriority;
    serviceId?: string;
    message: string;
    at: string;
  }
>;

/** A customer user or a staff member adds a message; `messageId` makes a repeat harmless. */
export type ReplyToTicket = Message<
  'ReplyToTicket',
  { messageId: string; author: TicketAuthor; message: string; at: string }
>;

/** Staff set the ticket In Progress or On Hold. */
export type SetTicketStatus = Message<
  'SetTicketStatus',
  { status: StaffTicketStatus; staffId: string; at: string }
>;

/** The customer or staff (or the system) closes the ticket. */
export type CloseTicket = Message<'CloseTicket', { by: TicketCloser; at: string }>;

/** The billing clock closes the ticket if it has stayed Answered for 72 hours without a reply. */
export type CloseIdleTicket = Message<'CloseIdleTicket', { at: string }>;

/** Every command the ticket decider accepts. */
export type TicketCommand = OpenTicket | ReplyToTicket | SetTicketStatus | CloseTicket | CloseIdleTicket;

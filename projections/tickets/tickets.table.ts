import type { Insertable, Selectable, Updateable } from 'kysely';
import type { TicketDepartment, TicketPriority, TicketStatus } from '@app/domain';
import type { InstantColumn, NullableInstantColumn } from '../shared';

/** One row per ticket: what a contract's ticket list shows. */
export interface TicketsTable {
  ticket_id: string;
  contract_id: string;
  subject: string;
  department: TicketDepartment;
  priority: TicketPriority;
  service_id: string | null;
  status: Exclude<TicketStatus, 'not_opened'>;
  opened_by_user_id: string;
  opened_by_email: string;
  opened_at: InstantColumn;
  /** When anything last happened to the ticket: a message, a status, a closing. */
  updated_at: InstantColumn;
  message_count: number;
  closed_at: NullableInstantColumn;
  /** Log position of the ticket's opening: the key of the ticket list, newest first. */
  opened_position: string;
  /** Revision of the last event applied to the row. */
  revision: number;
}

/** Every message of every ticket, the opening one included (its id is the ticket's). */
export interface TicketMessagesTable {
  ticket_id: string;
  message_id: string;
  /** Revision of the event that wrote it in the ticket's stream: the order of the conversation. */
  revision: number;
  author_kind: 'customer' | 'staff';
  /** The customer's user id or the staff member's id. */
  author_id: string;
  body: string;
  written_at: InstantColumn;
}

export type TicketRow = Selectable<TicketsTable>;
export type NewTicketRow = Insertable<TicketsTable>;
export type TicketRowUpdate = Updateable<TicketsTable>;
export type TicketMessageRow = Selectable<TicketMessagesTable>;
export type NewTicketMessageRow = Insertable<TicketMessagesTable>;

export interface TicketsDatabase {
  tickets: TicketsTable;
  ticket_messages: TicketMessagesTable;
}

import type {
  TicketCloseReason,
  TicketCloser,
  TicketEvent,
  TicketPriority,
  TicketReference,
} from './ticket.events';

/** What a ticket keeps whatever its status. */
export type TicketDetails = TicketReference &
  Readonly<{
    priority: TicketPriority;
    serviceId: string | null;
    openedAt: string;
    /** Ids of every message so far, the first being the ticket id: a repeated id is a retry. */
    messageIds: readonly string[];
  }>;

/** A ticket waiting for staff (Open, Customer-Reply) or being worked on (In Progress, On Hold). */
export type ActiveTicket = TicketDetails &
  Readonly<{ status: 'open' | 'customer_reply' | 'in_progress' | 'on_hold' }>;

/** A ticket whose last message is a staff answer; the 72-hour idle clock runs from `answeredAt`. */
export type AnsweredTicket = TicketDetails & Readonly<{ status: 'answered'; answeredAt: string }>;

/** A closed ticket; only a customer reply reopens it. */
export type ClosedTicket = TicketDetails &
  Readonly<{ status: 'closed'; closedAt: string; closedBy: TicketCloser; closeReason: TicketCloseReason }>;

/** The state of a ticket stream, keyed on `status` (`not_opened` for an empty stream). */
export type TicketState = Readonly<{ status: 'not_opened' }> | ActiveTicket | AnsweredTicket | ClosedTicket;

/** Every status a ticket can be in, the API's `status` field (plus `not_opened`, never shown). */
export type TicketStatus = TicketState['status'];

/** The state of a ticket before any event. */
export const initialTicketState = (): TicketState => ({ status: 'not_opened' });

const detailsOf = (ticket: TicketDetails): TicketDetails => ({
  ticketId: ticket.ticketId,
  contractId: ticket.contractId,
  subject: ticket.subject,
  department: ticket.department,
  openedBy: ticket.openedBy,
  priority: ticket.priority,
  serviceId: ticket.serviceId,
  openedAt: ticket.openedAt,
  messageIds: ticket.messageIds,
});

/** Folds one event into the ticket's state; events that don't apply to the state are ignored. */
export const evolveTicket = (state: TicketState, event: TicketEvent): TicketState => {
  if (event.type === 'TicketOpened') {
    const { data } = event;
    return {
      status: 'open',
      ticketId: data.ticketId,
      contractId: data.contractId,
      subject: data.subject,
      department: data.department,
      openedBy: data.openedBy,
      priority: data.priority,
      serviceId: data.serviceId,
      openedAt: data.at,
      messageIds: [data.ticketId],
    };
  }
  if (state.status === 'not_opened') return state;
  const details = detailsOf(state);
  switch (event.type) {
    case 'TicketReplied': {
      const messageIds = [...details.messageIds, event.data.messageId];
      return event.data.author.kind === 'staff'
        ? { ...details, messageIds, status: 'answered', answeredAt: event.data.at }
        : { ...details, messageIds, status: 'customer_reply' };
    }
    case 'TicketReopened':
      return { ...details, status: 'open' };
    case 'TicketStatusChanged':
      return { ...details, status: event.data.status };
    case 'TicketClosed':
      return {
        ...details,
        status: 'closed',
        closedAt: event.data.at,
        closedBy: event.data.by,
        closeReason: event.data.reason,
      };
    default: {
      // Compile-time check that every known event is folded; at run time an unknown type is ignored.
      const _unknown: never = event;
      return state;
    }
  }
};

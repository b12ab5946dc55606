import type { Decider } from '../shared/decider';
import { DomainError, InvalidValueError } from '../shared/domain-error';
import { assertNever } from '../shared/exhaustive';
import type {
  CloseIdleTicket,
  CloseTicket,
  OpenTicket,
  ReplyToTicket,
  SetTicketStatus,
  TicketCommand,
} from './ticket.commands';
import type {
  StaffTicketStatus,
  TicketDepartment,
  TicketEvent,
  TicketPriority,
  TicketReference,
} from './ticket.events';
import type { AnsweredTicket, TicketDetails, TicketState } from './ticket.state';
import { evolveTicket, initialTicketState } from './ticket.state';

/** Longest subject accepted, in characters, after trimming. */
export const TICKET_SUBJECT_MAX_LENGTH = 200;

/** Longest message accepted, in characters, after trimming. */
export const TICKET_MESSAGE_MAX_LENGTH = 20_000;

/** How long an Answered ticket may go without a reply before the billing clock closes it: 72 hours. */
export const TICKET_IDLE_CLOSE_AFTER_MS = 72 * 60 * 60 * 1000;

const DEPARTMENTS: readonly TicketDepartment[] = ['technical', 'billing', 'sales'];
const PRIORITIES: readonly TicketPriority[] = ['low', 'medium', 'high'];
const STAFF_STATUSES: readonly StaffTicketStatus[] = ['in_progress', 'on_hold'];

/**
 * Whether the billing clock should close this ticket at `at`: it is Answered and no one has replied for at
 * least 72 hours since the staff answer.
 */
export const isIdleCloseDue = (state: TicketState, at: string): state is AnsweredTicket =>
  state.status === 'answered' && Date.parse(at) - Date.parse(state.answeredAt) >= TICKET_IDLE_CLOSE_AFTER_MS;

const text = (field: string, value: string, maxLength: number): string => {
  const trimmed = value.trim();
  if (trimmed === '') throw new InvalidValueError(field, `The ${field} must not be empty.`);
  if (trimmed.length > maxLength)
    throw new InvalidValueError(field, `The ${field} must have at most ${maxLength} characters.`);
  return trimmed;
};

const oneOf = <T extends string>(field: string, value: T, allowed: readonly T[]): T => {
  if (!allowed.includes(value))
    throw new InvalidValueError(field, `The ${field} must be one of: ${allowed.join(', ')}.`);
  return value;
};

const invalidTransition = (state: TicketState, command: TicketCommand): DomainError =>
  new DomainError('INVALID_TRANSITION', `A ${state.status} ticket can't take ${command.type}.`, {
    from: state.status,
    command: command.type,
  });

const referenceOf = (ticket: TicketDetails): TicketReference => ({
  ticketId: ticket.ticketId,
  contractId: ticket.contractId,
  subject: ticket.subject,
  department: ticket.department,
  openedBy: ticket.openedBy,
});

const open = ({ data }: OpenTicket, state: TicketState): TicketEvent[] => {
  if (state.status !== 'not_opened')
    throw new DomainError('ALREADY_EXISTS', 'This ticket already exists.', { ticketId: data.ticketId });
  return [
    {
      type: 'TicketOpened',
      data: {
        ticketId: data.ticketId,
        contractId: data.contractId,
        subject: text('subject', data.subject, TICKET_SUBJECT_MAX_LENGTH),
        department: oneOf('department', data.department, DEPARTMENTS),
        openedBy: { userId: data.openedBy.userId, email: data.openedBy.email },
        priority: oneOf('priority', data.priority, PRIORITIES),
        serviceId: data.serviceId ?? null,
        message: text('message', data.message, TICKET_MESSAGE_MAX_LENGTH),
        at: data.at,
      },
    },
  ];
};

/**
 * A reply to a closed ticket from a customer reopens it: two events, `TicketReopened` then `TicketReplied`, so
 * timelines show the reopening on its own. Staff can't write on a closed ticket.
 */
const reply = (
  command: ReplyToTicket,
  ticket: TicketDetails & Readonly<{ status: TicketState['status'] }>,
) => {
  const { data } = command;
  if (ticket.messageIds.includes(data.messageId)) return [];
  const message = text('message', data.message, TICKET_MESSAGE_MAX_LENGTH);
  const reference = referenceOf(ticket);
  const replied: TicketEvent = {
    type: 'TicketReplied',
    data: { ...reference, messageId: data.messageId, author: data.author, message, at: data.at },
  };
  if (ticket.status !== 'closed') return [replied];
  if (data.author.kind === 'staff')
    throw new DomainError('INVALID_TRANSITION', "Staff can't reply to a closed ticket.", {
      from: ticket.status,
      command: command.type,
    });
  const reopened: TicketEvent = {
    type: 'TicketReopened',
    data: { ...reference, by: { kind: 'customer', userId: data.author.userId }, at: data.at },
  };
  return [reopened, replied];
};

const setStatus = (command: SetTicketStatus, state: Exclude<TicketState, { status: 'not_opened' }>) => {
  const { data } = command;
  const status = oneOf('status', data.status, STAFF_STATUSES);
  if (state.status === 'closed') throw invalidTransition(state, command);
  if (state.status === status) return [];
  const changed: TicketEvent = {
    type: 'TicketStatusChanged',
    data: { ...referenceOf(state), status, staffId: data.staffId, at: data.at },
  };
  return [changed];
};

/** Closing a closed ticket changes nothing: the customer and staff may both press "close". */
const close = ({ data }: CloseTicket, state: Exclude<TicketState, { status: 'not_opened' }>) => {
  if (state.status === 'closed') return [];
  const closed: TicketEvent = {
    type: 'TicketClosed',
    data: { ...referenceOf(state), by: data.by, reason: 'requested', at: data.at },
  };
  return [closed];
};

/**
 * Not due is not an error: the clock picks candidates from a read model that may lag behind a reply, and it must
 * be idempotent, so a ticket that is no longer idle (or already closed) is simply left alone.
 */
const closeIdle = ({ data }: CloseIdleTicket, state: TicketState) => {
  if (!isIdleCloseDue(state, data.at)) return [];
  const closed: TicketEvent = {
    type: 'TicketClosed',
    data: { ...referenceOf(state), by: 'system', reason: 'idle', at: data.at },
  };
  return [closed];
};

/** Decides what a ticket command produces, or refuses it with a {@link DomainError}. */
export const decideTicket = (command: TicketCommand, state: TicketState): readonly TicketEvent[] => {
  if (command.type === 'OpenTicket') return open(command, state);
  if (state.status === 'not_opened') throw new DomainError('NOT_FOUND', 'This ticket does not exist.');
  switch (command.type) {
    case 'ReplyToTicket':
      return reply(command, state);
    case 'SetTicketStatus':
      return setStatus(command, state);
    case 'CloseTicket':
      return close(command, state);
    case 'CloseIdleTicket':
      return closeIdle(command, state);
    default:
      return assertNever(command);
  }
};

/** The ticket aggregate (stream `ticket-<id>`). */
export const ticketDecider: Decider<TicketCommand, TicketEvent, TicketState> = {
  initialState: initialTicketState,
  evolve: evolveTicket,
  decide: decideTicket,
};

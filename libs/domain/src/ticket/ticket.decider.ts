import { type Actor, isStaff } from '../shared/actor';
import { nowOf } from '../shared/command-time';
import type { Decider } from '../shared/decider';
import { DomainError, InvalidValueError } from '../shared/domain-error';
import { assertNever } from '../shared/exhaustive';
import { parseEmail } from '../value-objects/email';
import { parseIdentifier } from '../value-objects/identifier';
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
  TicketAuthor,
  TicketCloser,
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

const text = (field: string, value: unknown, maxLength: number): string => {
  const trimmed = typeof value === 'string' ? value.trim() : '';
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

const forbidden = (message: string): DomainError => new DomainError('FORBIDDEN', message);

/** Who writes a message: staff when the actor holds a staff role, otherwise the customer user. */
const authorOf = (actor: Actor): TicketAuthor => {
  if (actor.kind === 'system') throw forbidden('A ticket message is written by a logged-in user.');
  return isStaff(actor)
    ? { kind: 'staff', staffId: actor.userId }
    : { kind: 'customer', userId: actor.userId };
};

const closerOf = (actor: Actor): TicketCloser =>
  actor.kind === 'system' ? 'system' : isStaff(actor) ? 'staff' : 'customer';

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

const open = (command: OpenTicket, state: TicketState): TicketEvent[] => {
  const { data } = command;
  if (state.status !== 'not_opened')
    throw new DomainError('ALREADY_EXISTS', 'This ticket already exists.', { ticketId: data.ticketId });
  const { actor } = command.metadata;
  if (actor.kind !== 'user') throw forbidden('A ticket is opened by a logged-in user.');
  const ticketId = parseIdentifier(data.ticketId, 'ticketId');
  const contractId = parseIdentifier(data.contractId, 'contractId');
  const subject = text('subject', data.subject, TICKET_SUBJECT_MAX_LENGTH);
  const department = oneOf('department', data.department, DEPARTMENTS);
  const openedBy = { userId: actor.userId, email: parseEmail(actor.email) };
  const priority = oneOf('priority', data.priority, PRIORITIES);
  const serviceId = data.serviceId === undefined ? null : parseIdentifier(data.serviceId, 'serviceId');
  const message = text('message', data.message, TICKET_MESSAGE_MAX_LENGTH);
  const at = nowOf(command);
  // Another contract's service is answered as one that does not exist: the opener learns nothing about it.
  if (serviceId !== null && data.serviceContractId !== contractId)
    throw new DomainError('NOT_FOUND', 'There is no such service on this contract.', { serviceId });
  return [
    {
      type: 'TicketOpened',
      data: { ticketId, contractId, subject, department, openedBy, priority, serviceId, message, at },
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
  const author = authorOf(command.metadata.actor);
  const messageId = parseIdentifier(data.messageId, 'messageId');
  if (ticket.messageIds.includes(messageId)) return [];
  const message = text('message', data.message, TICKET_MESSAGE_MAX_LENGTH);
  const at = nowOf(command);
  const reference = referenceOf(ticket);
  const replied: TicketEvent = {
    type: 'TicketReplied',
    data: { ...reference, messageId, author, message, at },
  };
  if (ticket.status !== 'closed') return [replied];
  if (author.kind === 'staff')
    throw new DomainError('INVALID_TRANSITION', "Staff can't reply to a closed ticket.", {
      from: ticket.status,
      command: command.type,
    });
  const reopened: TicketEvent = {
    type: 'TicketReopened',
    data: { ...reference, by: author, at },
  };
  return [reopened, replied];
};

const setStatus = (command: SetTicketStatus, state: Exclude<TicketState, { status: 'not_opened' }>) => {
  const { data } = command;
  const { actor } = command.metadata;
  if (actor.kind !== 'user' || !isStaff(actor)) {
    throw forbidden('Only staff set a ticket In Progress or On Hold.');
  }
  const status = oneOf('status', data.status, STAFF_STATUSES);
  if (state.status === 'closed') throw invalidTransition(state, command);
  if (state.status === status) return [];
  const changed: TicketEvent = {
    type: 'TicketStatusChanged',
    data: { ...referenceOf(state), status, staffId: actor.userId, at: nowOf(command) },
  };
  return [changed];
};

/** Closing a closed ticket changes nothing: the customer and staff may both press "close". */
const close = (command: CloseTicket, state: Exclude<TicketState, { status: 'not_opened' }>) => {
  if (state.status === 'closed') return [];
  const closed: TicketEvent = {
    type: 'TicketClosed',
    data: {
      ...referenceOf(state),
      by: closerOf(command.metadata.actor),
      reason: 'requested',
      at: nowOf(command),
    },
  };
  return [closed];
};

/**
 * Not due is not an error: the clock picks candidates from a read model that may lag behind a reply, and it must
 * be idempotent, so a ticket that is no longer idle (or already closed) is simply left alone.
 */
const closeIdle = (command: CloseIdleTicket, state: TicketState) => {
  const at = nowOf(command);
  if (!isIdleCloseDue(state, at)) return [];
  const closed: TicketEvent = {
    type: 'TicketClosed',
    data: { ...referenceOf(state), by: 'system', reason: 'idle', at },
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

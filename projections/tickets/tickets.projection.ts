import type { Transaction } from 'kysely';
import type { TicketEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyNewEvents, type Projection } from '@app/projection-runner';
import { foldIntoTable, insertRows, type FoldedTable, type RowStep, type TableColumns } from '../shared';
import type { NewTicketMessageRow, NewTicketRow, TicketRowUpdate, TicketsDatabase } from './tickets.table';

const NAME = 'tickets';

const HANDLED = [
  'TicketOpened',
  'TicketReplied',
  'TicketReopened',
  'TicketStatusChanged',
  'TicketClosed',
] as const satisfies readonly TicketEvent['type'][];

/** What an event changes on its ticket's row, besides `updated_at` and `revision`. */
const changeOf = (event: Exclude<TicketEvent, { type: 'TicketOpened' }>): TicketRowUpdate => {
  switch (event.type) {
    case 'TicketReplied':
      return { status: event.data.author.kind === 'staff' ? 'answered' : 'customer_reply' };
    case 'TicketReopened':
      return { status: 'open', closed_at: null };
    case 'TicketStatusChanged':
      return { status: event.data.status };
    case 'TicketClosed':
      return { status: 'closed', closed_at: event.data.at };
    default: {
      const _unknown: never = event;
      return {};
    }
  }
};

const TICKETS: FoldedTable<NewTicketRow> = {
  name: 'tickets',
  key: 'ticket_id',
  columns: {
    ticket_id: 'value',
    contract_id: 'value',
    subject: 'value',
    department: 'value',
    priority: 'value',
    service_id: 'value',
    status: 'value',
    opened_by_user_id: 'value',
    opened_by_email: 'value',
    opened_at: 'value',
    updated_at: 'value',
    message_count: 'value',
    closed_at: 'value',
    opened_position: 'value',
    revision: 'value',
  },
};

const TICKET_MESSAGES = {
  name: 'ticket_messages',
  columns: {
    ticket_id: 'value',
    message_id: 'value',
    revision: 'value',
    author_kind: 'value',
    author_id: 'value',
    body: 'value',
    written_at: 'value',
  },
} as const satisfies Readonly<{ name: string; columns: TableColumns<NewTicketMessageRow> }>;

const stepOf = (event: TicketEvent, recorded: RecordedEvent): RowStep<NewTicketRow> | undefined => {
  const key = event.data.ticketId;
  if (event.type === 'TicketOpened') {
    const { data } = event;
    return {
      key,
      creates: {
        ticket_id: data.ticketId,
        contract_id: data.contractId,
        subject: data.subject,
        department: data.department,
        priority: data.priority,
        service_id: data.serviceId,
        status: 'open',
        opened_by_user_id: data.openedBy.userId,
        opened_by_email: data.openedBy.email,
        opened_at: data.at,
        updated_at: data.at,
        message_count: 1,
        closed_at: null,
        opened_position: recorded.position,
        revision: recorded.revision,
      },
    };
  }
  if (!HANDLED.includes(event.type)) return undefined;
  return {
    key,
    changes: (row) => ({
      ...changeOf(event),
      ...(event.type === 'TicketReplied' ? { message_count: Number(row.message_count) + 1 } : {}),
      updated_at: event.data.at,
      revision: recorded.revision,
    }),
  };
};

/** The message an event adds to its ticket's conversation: the opening one, or a reply. */
const messageOf = (event: TicketEvent, recorded: RecordedEvent): NewTicketMessageRow | undefined => {
  if (event.type === 'TicketOpened') {
    const { data } = event;
    return {
      ticket_id: data.ticketId,
      message_id: data.ticketId,
      revision: recorded.revision,
      author_kind: 'customer',
      author_id: data.openedBy.userId,
      body: data.message,
      written_at: data.at,
    };
  }
  if (event.type !== 'TicketReplied') return undefined;
  const { author } = event.data;
  return {
    ticket_id: event.data.ticketId,
    message_id: event.data.messageId,
    revision: recorded.revision,
    author_kind: author.kind,
    author_id: author.kind === 'staff' ? author.staffId : author.userId,
    body: event.data.message,
    written_at: event.data.at,
  };
};

const applyAll = async (
  trx: Transaction<TicketsDatabase>,
  events: readonly RecordedEvent[],
): Promise<void> => {
  const steps: RowStep<NewTicketRow>[] = [];
  const messages: NewTicketMessageRow[] = [];
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as TicketEvent;
    const step = stepOf(event, recorded);
    if (step) steps.push(step);
    const message = messageOf(event, recorded);
    if (message) messages.push(message);
  }
  const writer = trx as unknown as Transaction<unknown>;
  await foldIntoTable(writer, TICKETS, steps);
  await insertRows(writer, TICKET_MESSAGES, messages);
};

/** Every ticket with its status and conversation: a contract's ticket list and a ticket's page. */
export const ticketsProjection: Projection<TicketsDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  tables: ['tickets', 'ticket_messages'],
  apply: applyNewEvents(NAME, applyAll),
};

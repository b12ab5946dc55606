import type { Transaction } from 'kysely';
import type { TicketEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyEachNewEvent, type Projection } from '@app/projection-runner';
import type { TicketRowUpdate, TicketsDatabase } from './tickets.table';

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

const applyOne = async (trx: Transaction<TicketsDatabase>, recorded: RecordedEvent): Promise<void> => {
  const event = { type: recorded.type, data: recorded.data } as TicketEvent;
  if (event.type === 'TicketOpened') {
    const { data } = event;
    await trx
      .insertInto('tickets')
      .values({
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
      })
      .execute();
    await trx
      .insertInto('ticket_messages')
      .values({
        ticket_id: data.ticketId,
        message_id: data.ticketId,
        revision: recorded.revision,
        author_kind: 'customer',
        author_id: data.openedBy.userId,
        body: data.message,
        written_at: data.at,
      })
      .execute();
    return;
  }
  if (!HANDLED.includes(event.type)) return;
  await trx
    .updateTable('tickets')
    .set((eb) => ({
      ...changeOf(event),
      ...(event.type === 'TicketReplied' ? { message_count: eb('message_count', '+', 1) } : {}),
      updated_at: event.data.at,
      revision: recorded.revision,
    }))
    .where('ticket_id', '=', event.data.ticketId)
    .execute();
  if (event.type === 'TicketReplied') {
    const { author } = event.data;
    await trx
      .insertInto('ticket_messages')
      .values({
        ticket_id: event.data.ticketId,
        message_id: event.data.messageId,
        revision: recorded.revision,
        author_kind: author.kind,
        author_id: author.kind === 'staff' ? author.staffId : author.userId,
        body: event.data.message,
        written_at: event.data.at,
      })
      .execute();
  }
};

/** Every ticket with its status and conversation: a contract's ticket list and a ticket's page. */
export const ticketsProjection: Projection<TicketsDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  tables: ['tickets', 'ticket_messages'],
  apply: applyEachNewEvent(NAME, applyOne),
};

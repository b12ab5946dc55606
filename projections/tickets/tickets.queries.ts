import type { ReadModelReader } from '@app/projection-runner';
import type { KeysetPage } from '../shared';
import type { TicketMessageRow, TicketRow, TicketsDatabase } from './tickets.table';

/** A contract's tickets, newest first; the key is `opened_position`. */
export const ticketsOfContract = (
  db: ReadModelReader<TicketsDatabase>,
  contractId: string,
  page: KeysetPage,
): Promise<TicketRow[]> => {
  let query = db.selectFrom('tickets').selectAll().where('contract_id', '=', contractId);
  if (page.after !== undefined) query = query.where('opened_position', '<', page.after);
  return query.orderBy('opened_position', 'desc').limit(page.limit).execute();
};

/** A ticket with its whole conversation, oldest message first. */
export const ticketById = async (
  db: ReadModelReader<TicketsDatabase>,
  ticketId: string,
): Promise<(TicketRow & Readonly<{ messages: TicketMessageRow[] }>) | undefined> => {
  const ticket = await db
    .selectFrom('tickets')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket) return undefined;
  const messages = await db
    .selectFrom('ticket_messages')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('revision')
    .execute();
  return { ...ticket, messages };
};

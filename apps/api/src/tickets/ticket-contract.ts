import { DomainError, ticketDecider, ticketStream } from '@app/domain';
import type { CommandSender } from '../commands/command-sender';

/** What a caller is told of a ticket that does not exist, or of one they may not know about. */
export const NO_SUCH_TICKET = 'No such ticket.';

/**
 * The contract a ticket belongs to, from the ticket's own stream, to authorize on. A ticket that does not exist
 * is a 404 in the words a stranger gets for one that does.
 */
export const contractOfTicket = async (sender: CommandSender, ticketId: string): Promise<string> => {
  const ticket = await sender.stateOf(ticketDecider, ticketStream(ticketId));
  if (ticket.status === 'not_opened') throw new DomainError('NOT_FOUND', NO_SUCH_TICKET);
  return ticket.contractId;
};

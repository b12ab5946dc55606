import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@app/platform';
import { ticketById, ticketsOfContract, type TicketMessageRow, type TicketRow } from '@app/projections';
import { CurrentUser, ParseIdPipe } from '../../http';
import { isoInstant, isoInstantOrNull } from '../instants';
import { pageOf, pageRequestOf, type Page } from '../page-request';
import { MIN_POSITION_HEADER, PAGE_QUERY } from '../query-docs';
import { QueryReader, staleReadModel } from '../query-reader';

/** A ticket as the portal's ticket list shows it. */
export type TicketView = Readonly<{
  ticketId: string;
  contractId: string;
  subject: string;
  department: string;
  priority: string;
  serviceId: string | null;
  status: string;
  openedBy: Readonly<{ userId: string; email: string }>;
  openedAt: string;
  updatedAt: string;
  messageCount: number;
  closedAt: string | null;
}>;

export type TicketMessageView = Readonly<{
  messageId: string;
  author: Readonly<{ kind: 'customer' | 'staff'; id: string }>;
  message: string;
  writtenAt: string;
}>;

const viewOf = (row: TicketRow): TicketView => ({
  ticketId: row.ticket_id,
  contractId: row.contract_id,
  subject: row.subject,
  department: row.department,
  priority: row.priority,
  serviceId: row.service_id,
  status: row.status,
  openedBy: { userId: row.opened_by_user_id, email: row.opened_by_email },
  openedAt: isoInstant(row.opened_at),
  updatedAt: isoInstant(row.updated_at),
  messageCount: row.message_count,
  closedAt: isoInstantOrNull(row.closed_at),
});

const messageViewOf = (row: TicketMessageRow): TicketMessageView => ({
  messageId: row.message_id,
  author: { kind: row.author_kind, id: row.author_id },
  message: row.body,
  writtenAt: isoInstant(row.written_at),
});

const NO_SUCH_TICKET = 'No such ticket.';

const TICKET_FIELDS =
  'ticketId, subject, department, priority, serviceId, status, openedBy, openedAt, updatedAt, messageCount, closedAt';

/** A contract's tickets, and one ticket with its conversation (permission `tickets`). */
@ApiTags('queries')
@Controller()
export class ContractTicketsHttpController {
  constructor(private readonly reader: QueryReader) {}

  @Get('contracts/:id/tickets')
  @ApiOperation({ summary: "The contract's tickets, newest first (permission `tickets`)." })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiOkResponse({ description: `{ items: [{ ${TICKET_FIELDS} }], nextCursor }` })
  async list(
    @CurrentUser() caller: Caller,
    @Param('id', ParseIdPipe) contractId: string,
    @Query() query: Record<string, unknown>,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<Page<TicketView>> {
    const page = pageRequestOf(query);
    await this.reader.authorize(caller, contractId, 'tickets');
    await this.reader.awaitPosition(minPosition, ['tickets']);
    const rows = await ticketsOfContract(this.reader.db, contractId, {
      limit: page.limit + 1,
      after: page.after,
    });
    return pageOf(rows, page, (row) => row.opened_position, viewOf);
  }

  @Get('tickets/:id')
  @ApiOperation({
    summary: 'One ticket with its messages, oldest first (permission `tickets` on its contract, or support).',
  })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiOkResponse({
    description: `{ ${TICKET_FIELDS}, messages: [{ messageId, author: { kind, id }, message, writtenAt }] }`,
  })
  async one(
    @CurrentUser() caller: Caller,
    @Param('id', ParseIdPipe) ticketId: string,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<TicketView & Readonly<{ messages: readonly TicketMessageView[] }>> {
    const contractId = await this.reader.contractOfTicket(ticketId, NO_SUCH_TICKET);
    await this.reader.authorize(caller, contractId, 'tickets', NO_SUCH_TICKET);
    await this.reader.awaitPosition(minPosition, ['tickets']);
    const ticket = await ticketById(this.reader.db, ticketId);
    // The ticket exists (its stream says so): only its read model is not built yet.
    if (!ticket) throw staleReadModel('The ticket is not in the read model yet; try again shortly.');
    return { ...viewOf(ticket), messages: ticket.messages.map(messageViewOf) };
  }
}

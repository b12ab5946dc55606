import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@app/platform';
import { callbacksOfContract, type CallbackRow } from '@app/projections';
import { CurrentUser, ParseIdPipe } from '../../http';
import { isoInstant, isoInstantOrNull } from '../instants';
import { pageOf, pageRequestOf, type Page } from '../page-request';
import { MIN_POSITION_HEADER, PAGE_QUERY } from '../query-docs';
import { QueryReader } from '../query-reader';

/** A call-back request ("Nós ligamos para você") as the portal lists it. */
export type CallbackView = Readonly<{
  callbackId: string;
  contractId: string;
  requestedBy: string;
  phone: string;
  topic: string | null;
  status: string;
  requestedAt: string;
  closedAt: string | null;
  attempts: number | null;
  note: string | null;
}>;

const viewOf = (row: CallbackRow): CallbackView => ({
  callbackId: row.callback_id,
  contractId: row.contract_id,
  requestedBy: row.user_id,
  phone: row.phone,
  topic: row.topic,
  status: row.status,
  requestedAt: isoInstant(row.requested_at),
  closedAt: isoInstantOrNull(row.closed_at),
  attempts: row.attempts,
  note: row.note,
});

@ApiTags('queries')
@Controller('contracts/:id/callbacks')
export class ContractCallbacksHttpController {
  constructor(private readonly reader: QueryReader) {}

  @Get()
  @ApiOperation({ summary: "The contract's call-back requests, newest first (permission `tickets`)." })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiOkResponse({
    description:
      '{ items: [{ callbackId, requestedBy, phone, topic, status, requestedAt, closedAt, attempts, note }], nextCursor }',
  })
  async list(
    @CurrentUser() caller: Caller,
    @Param('id', ParseIdPipe) contractId: string,
    @Query() query: Record<string, unknown>,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<Page<CallbackView>> {
    const page = pageRequestOf(query);
    await this.reader.authorize(caller, contractId, 'callbacks');
    await this.reader.awaitPosition(minPosition, ['callbacks']);
    const rows = await callbacksOfContract(this.reader.db, contractId, {
      limit: page.limit + 1,
      after: page.after,
    });
    return pageOf(rows, page, (row) => row.requested_position, viewOf);
  }
}

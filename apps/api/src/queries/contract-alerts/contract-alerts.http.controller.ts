import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@app/platform';
import { alertsOfContract, type ContractAlertRow } from '@app/projections';
import { CurrentUser, ParseIdPipe } from '../../http';
import { isoInstant } from '../instants';
import { pageOf, pageRequestOf, type Page } from '../page-request';
import { MIN_POSITION_HEADER, PAGE_QUERY } from '../query-docs';
import { QueryReader } from '../query-reader';

/** An open incident on an instance that runs some of the contract's services. */
export type AlertView = Readonly<{
  incidentId: string;
  instanceId: string;
  instanceName: string | null;
  title: string;
  impact: string;
  openedAt: string;
  updatedAt: string;
  latestMessage: string | null;
  /** The contract's services on that instance. */
  serviceIds: readonly string[];
}>;

const viewOf = (row: ContractAlertRow): AlertView => ({
  incidentId: row.incident_id,
  instanceId: row.instance_id,
  instanceName: row.instance_name,
  title: row.title,
  impact: row.impact,
  openedAt: isoInstant(row.opened_at),
  updatedAt: isoInstant(row.updated_at),
  latestMessage: row.latest_message,
  serviceIds: row.service_ids,
});

@ApiTags('queries')
@Controller('contracts/:id/alerts')
export class ContractAlertsHttpController {
  constructor(private readonly reader: QueryReader) {}

  @Get()
  @ApiOperation({
    summary: "Open incidents on the instances that run the contract's services, newest first (any member).",
  })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiOkResponse({
    description:
      '{ items: [{ incidentId, instanceId, instanceName, title, impact, openedAt, updatedAt, latestMessage, serviceIds }], nextCursor }',
  })
  async list(
    @CurrentUser() caller: Caller,
    @Param('id', ParseIdPipe) contractId: string,
    @Query() query: Record<string, unknown>,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<Page<AlertView>> {
    const page = pageRequestOf(query);
    await this.reader.authorize(caller, contractId, 'alerts');
    await this.reader.awaitPosition(minPosition, ['alerts']);
    const rows = await alertsOfContract(this.reader.db, contractId, {
      limit: page.limit + 1,
      after: page.after,
    });
    return pageOf(rows, page, (row) => row.opened_position, viewOf);
  }
}

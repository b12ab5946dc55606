import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import { DomainError } from '@app/domain';
import { serviceKnownQuery, serviceTimelineQuery, type TimelineIntervalRow } from '@app/projections';
import { ParseIdPipe, RequestValidationError, RequireRoles } from '../../http';
import { pageOf, pageRequestOf } from '../../queries/page-request';
import { MIN_POSITION_HEADER, PAGE_QUERY } from '../../queries/query-docs';
import { QueryReader } from '../../queries/query-reader';
import { sendAnalytics } from '../analytics-answer';
import type { CsvColumn } from '../../http/csv';

/** One interval of a service's timeline: `to` is null for the current one. */
export type TimelineIntervalView = Readonly<{
  status: string;
  from: string;
  to: string | null;
  reason: string | null;
}>;

const viewOf = (row: TimelineIntervalRow): TimelineIntervalView => ({
  status: row.status,
  from: row.from_at,
  to: row.to_at,
  reason: row.reason,
});

const COLUMNS: readonly CsvColumn<TimelineIntervalRow>[] = [
  { header: 'status', value: (row) => row.status },
  { header: 'from', value: (row) => row.from_at },
  { header: 'to', value: (row) => row.to_at },
  { header: 'reason', value: (row) => row.reason },
];

@ApiTags('analytics')
@RequireRoles('analyst')
@Controller()
export class ServiceTimelineHttpController {
  constructor(private readonly reader: QueryReader) {}

  @Get('analytics/services/:id/timeline')
  @ApiOperation({ summary: "A service's status intervals, oldest first (role analyst)." })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      '{ items: [{ status, from, to, reason }], nextCursor }; `to` is null for the current interval. ' +
      'With Accept: text/csv, the whole timeline as CSV.',
  })
  async timeline(
    @Param('id', ParseIdPipe) serviceId: string,
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<void> {
    const page = pageRequestOf(query);
    if (page.after !== undefined && !/^\d{1,15}$/.test(page.after)) {
      throw new RequestValidationError([
        { field: 'cursor', message: 'cursor must be one this API gave out' },
      ]);
    }
    await this.reader.awaitPosition(minPosition, ['service-status-timeline']);
    const db = this.reader.db as unknown as Kysely<unknown>;
    const known = await serviceKnownQuery(serviceId).execute(db);
    if (known.rows.length === 0) throw new DomainError('NOT_FOUND', 'No such service.');
    await sendAnalytics(db, request, response, {
      json: async () => {
        const { rows } = await serviceTimelineQuery(serviceId, {
          limit: page.limit + 1,
          ...(page.after === undefined ? {} : { afterRevision: Number(page.after) }),
        }).execute(db);
        return pageOf(rows, page, (row) => row.from_revision, viewOf);
      },
      csv: {
        query: serviceTimelineQuery(serviceId),
        columns: COLUMNS,
        filename: `timeline-${serviceId}.csv`,
      },
    });
  }
}

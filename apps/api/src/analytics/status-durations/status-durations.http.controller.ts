import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Clock } from '@app/command-handling';
import { CLOCK } from '@app/platform';
import { statusDurationsQuery, type StatusDurationRow } from '@app/projections';
import { RequireRoles } from '../../http';
import { MIN_POSITION_HEADER } from '../../queries/query-docs';
import { QueryReader } from '../../queries/query-reader';
import { sendAnalytics } from '../analytics-answer';
import type { CsvColumn } from '../../http/csv';
import { statusDurationsParamsOf } from '../analytics-params';
import { WINDOW_QUERY } from '../analytics-docs';

/** Time spent in one status by the services of one kind, inside the window. */
export type StatusDurationView = Readonly<{
  kind: string;
  status: string;
  seconds: number;
  services: number;
}>;

const viewOf = (row: StatusDurationRow): StatusDurationView => ({
  kind: row.kind,
  status: row.status,
  seconds: Number(row.seconds),
  services: Number(row.services),
});

const COLUMNS: readonly CsvColumn<StatusDurationRow>[] = [
  { header: 'kind', value: (row) => row.kind },
  { header: 'status', value: (row) => row.status },
  { header: 'seconds', value: (row) => Number(row.seconds) },
  { header: 'services', value: (row) => Number(row.services) },
];

@ApiTags('analytics')
@RequireRoles('analyst')
@Controller()
export class StatusDurationsHttpController {
  constructor(
    private readonly reader: QueryReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('analytics/status-durations')
  @ApiOperation({
    summary:
      'Total time in each status per service kind over [from, to) (role analyst): an interval that started ' +
      'before the window counts from `from`; one still open counts up to the earlier of `to` and now.',
  })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(WINDOW_QUERY.from)
  @ApiQuery(WINDOW_QUERY.to)
  @ApiQuery(WINDOW_QUERY.kind)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      '{ from, to, until, items: [{ kind, status, seconds, services }], nextCursor: null }; `until` is where ' +
      'counting stopped (the earlier of `to` and now). With Accept: text/csv, the items as CSV.',
  })
  async durations(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<void> {
    const params = statusDurationsParamsOf(query);
    await this.reader.awaitPosition(minPosition, ['service-status-timeline']);
    const now = this.clock.now();
    const end = params.to < now ? params.to : now;
    // A window wholly in the future has nothing to count yet: an empty window, the same query.
    const until = end > params.from ? end : params.from;
    const sqlQuery = statusDurationsQuery({
      from: params.from,
      end: until,
      ...(params.kind === undefined ? {} : { kind: params.kind }),
    });
    const db = this.reader.db as unknown as Kysely<unknown>;
    await sendAnalytics(db, request, response, {
      json: async () => ({
        from: params.from.toISOString(),
        to: params.to.toISOString(),
        until: until.toISOString(),
        items: (await sqlQuery.execute(db)).rows.map(viewOf),
        nextCursor: null,
      }),
      csv: { query: sqlQuery, columns: COLUMNS, filename: 'status-durations.csv' },
    });
  }
}

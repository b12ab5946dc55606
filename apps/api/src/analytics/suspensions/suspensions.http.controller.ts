import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import { suspensionsQuery, type SuspensionPeriodRow } from '@app/projections';
import { RequireRoles } from '../../http';
import { MIN_POSITION_HEADER } from '../../queries/query-docs';
import { QueryReader } from '../../queries/query-reader';
import { sendAnalytics } from '../analytics-answer';
import type { CsvColumn } from '../../http/csv';
import { WINDOW_QUERY } from '../analytics-docs';
import { suspensionsParamsOf } from '../analytics-params';

/** Suspensions and reactivations of one kind in one Sao Paulo day or month. */
export type SuspensionPeriodView = Readonly<{
  period: string;
  kind: string;
  suspensions: number;
  nonPaymentSuspensions: number;
  reactivations: number;
  avgOverdueToSuspensionSeconds: number | null;
  avgSuspensionToPaymentSeconds: number | null;
  paidAfterSuspension: number;
}>;

const numberOrNull = (value: number | null): number | null => (value === null ? null : Number(value));

const viewOf = (row: SuspensionPeriodRow): SuspensionPeriodView => ({
  period: row.period,
  kind: row.kind,
  suspensions: Number(row.suspensions),
  nonPaymentSuspensions: Number(row.non_payment_suspensions),
  reactivations: Number(row.reactivations),
  avgOverdueToSuspensionSeconds: numberOrNull(row.avg_overdue_to_suspension_seconds),
  avgSuspensionToPaymentSeconds: numberOrNull(row.avg_suspension_to_payment_seconds),
  paidAfterSuspension: Number(row.paid_after_suspension),
});

const COLUMNS: readonly CsvColumn<SuspensionPeriodRow>[] = (
  [
    'period',
    'kind',
    'suspensions',
    'nonPaymentSuspensions',
    'reactivations',
    'avgOverdueToSuspensionSeconds',
    'avgSuspensionToPaymentSeconds',
    'paidAfterSuspension',
  ] as const
).map((header) => ({ header, value: (row: SuspensionPeriodRow) => viewOf(row)[header] }));

@ApiTags('analytics')
@RequireRoles('analyst')
@Controller()
export class SuspensionsHttpController {
  constructor(private readonly reader: QueryReader) {}

  @Get('analytics/suspensions')
  @ApiOperation({
    summary:
      'Suspensions and reactivations per Sao Paulo day or month and service kind over [from, to) (role ' +
      'analyst), with the mean time from the unpaid invoice turning overdue to the suspension, and from the ' +
      'suspension to that invoice being paid.',
  })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(WINDOW_QUERY.from)
  @ApiQuery(WINDOW_QUERY.to)
  @ApiQuery(WINDOW_QUERY.groupBy)
  @ApiQuery(WINDOW_QUERY.kind)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      '{ items: [{ period, kind, suspensions, nonPaymentSuspensions, reactivations, ' +
      'avgOverdueToSuspensionSeconds, avgSuspensionToPaymentSeconds, paidAfterSuspension }], nextCursor: null }',
  })
  async suspensions(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<void> {
    const params = suspensionsParamsOf(query);
    await this.reader.awaitPosition(minPosition, ['service-status-timeline']);
    const sqlQuery = suspensionsQuery(params);
    const db = this.reader.db as unknown as Kysely<unknown>;
    await sendAnalytics(db, request, response, {
      json: async () => ({
        groupBy: params.groupBy,
        items: (await sqlQuery.execute(db)).rows.map(viewOf),
        nextCursor: null,
      }),
      csv: { query: sqlQuery, columns: COLUMNS, filename: `suspensions-by-${params.groupBy}.csv` },
    });
  }
}

import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Clock } from '@app/command-handling';
import { CLOCK } from '@app/platform';
import { AGING_BUCKETS, invoiceAgingQuery, type InvoiceAgingRow } from '@app/projections';
import { RequireRoles } from '../../http';
import { MIN_POSITION_HEADER } from '../../queries/query-docs';
import { QueryReader } from '../../queries/query-reader';
import { sendAnalytics } from '../analytics-answer';
import type { CsvColumn } from '../../http/csv';
import { WINDOW_QUERY } from '../analytics-docs';
import { agingInstantOf } from '../analytics-params';

/** The invoices open at the instant asked for, `minDays` to `maxDays` Sao Paulo days past due. */
export type AgingBucketView = Readonly<{
  bucket: string;
  minDays: number | null;
  maxDays: number | null;
  invoices: number;
  amountCents: number;
}>;

const viewOf = (row: InvoiceAgingRow): AgingBucketView => {
  const bucket = AGING_BUCKETS.find((candidate) => candidate.bucket === row.bucket)!;
  return {
    bucket: row.bucket,
    minDays: bucket.minDays,
    maxDays: bucket.maxDays,
    invoices: Number(row.invoices),
    amountCents: Number(row.amount_cents),
  };
};

const COLUMNS: readonly CsvColumn<InvoiceAgingRow>[] = (
  ['bucket', 'minDays', 'maxDays', 'invoices', 'amountCents'] as const
).map((header) => ({ header, value: (row: InvoiceAgingRow) => viewOf(row)[header] }));

@ApiTags('analytics')
@RequireRoles('analyst')
@Controller()
export class InvoiceAgingHttpController {
  constructor(
    private readonly reader: QueryReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('analytics/invoice-aging')
  @ApiOperation({
    summary:
      'Open invoices and their amounts by Sao Paulo days past due (0, 1-3, 4-10, 11-30, 31+), as of now or ' +
      '`at` (role analyst). Bucket 0 holds invoices not yet past due.',
  })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(WINDOW_QUERY.at)
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: '{ at, items: [{ bucket, minDays, maxDays, invoices, amountCents }], nextCursor: null }',
  })
  async aging(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<void> {
    const at = agingInstantOf(query, this.clock.now());
    await this.reader.awaitPosition(minPosition, ['service-status-timeline']);
    const sqlQuery = invoiceAgingQuery(at);
    const db = this.reader.db as unknown as Kysely<unknown>;
    await sendAnalytics(db, request, response, {
      json: async () => ({
        at: at.toISOString(),
        items: (await sqlQuery.execute(db)).rows.map(viewOf),
        nextCursor: null,
      }),
      csv: { query: sqlQuery, columns: COLUMNS, filename: 'invoice-aging.csv' },
    });
  }
}

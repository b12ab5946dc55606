import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CONTRACT_STREAM_CATEGORIES, DomainError } from '@app/domain';
import { CORRELATION_ID_PATTERN } from '@app/platform';
import { correlationAuditEventsQuery } from '@app/projections';
import { RequestValidationError, RequireRoles } from '../../http';
import { wantsCsv } from '../../http/csv';
import { pageRequestOf } from '../../queries/page-request';
import { QueryReader } from '../../queries/query-reader';
import { AuditListDocs } from '../audit-docs';
import { auditFilterOf, pagingOf } from '../audit-filter';
import { answerAuditList } from '../audit-lists';
import { AUDIT_LOG } from '../audit-log-projection';
import { AuditReader } from '../audit-reader';

/** Every category of the log, instances' and the nota fiscal series' included. */
const ALL_CATEGORIES = [...CONTRACT_STREAM_CATEGORIES, 'instance', 'nota'];

@ApiTags('audit')
@RequireRoles('auditor')
@Controller()
export class CorrelationEventsHttpController {
  constructor(
    private readonly reader: QueryReader,
    private readonly audit: AuditReader,
  ) {}

  @Get('audit/correlations/:correlationId')
  @ApiOperation({
    summary:
      'Every event of one request or process across all streams, in log order: a payment and everything it ' +
      'caused (role auditor).',
  })
  @AuditListDocs()
  async list(
    @Param('correlationId') correlationId: string,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
    @Headers('accept') accept?: string,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<void> {
    if (!CORRELATION_ID_PATTERN.test(correlationId)) {
      throw new RequestValidationError([
        { field: 'correlationId', message: 'correlationId must be 1 to 128 letters, digits or ._:-' },
      ]);
    }
    const filter = auditFilterOf(query, ALL_CATEGORIES);
    const page = pageRequestOf(pagingOf(query));
    await this.reader.awaitPosition(minPosition, [AUDIT_LOG]);
    const any = await correlationAuditEventsQuery(this.audit.db, correlationId).limit(1).execute();
    if (any.length === 0) throw new DomainError('NOT_FOUND', 'No event has this correlation id.');
    await answerAuditList(
      this.audit.db,
      response,
      wantsCsv(accept) ? { fileName: `correlation-${correlationId}-events.csv` } : undefined,
      (after) => correlationAuditEventsQuery(this.audit.db, correlationId, filter, after),
      page,
    );
  }
}

import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CONTRACT_STREAM_CATEGORIES, contractStream, DomainError } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE } from '@app/platform';
import { contractAuditEventsQuery } from '@app/projections';
import { ParseIdPipe, RequireRoles } from '../../http';
import { wantsCsv } from '../../http/csv';
import { pageRequestOf } from '../../queries/page-request';
import { QueryReader } from '../../queries/query-reader';
import { AuditListDocs } from '../audit-docs';
import { auditFilterOf, pagingOf } from '../audit-filter';
import { answerAuditList } from '../audit-lists';
import { AUDIT_LOG } from '../audit-log-projection';
import { AuditReader } from '../audit-reader';

@ApiTags('audit')
@RequireRoles('auditor')
@Controller()
export class ContractEventsHttpController {
  constructor(
    private readonly reader: QueryReader,
    private readonly audit: AuditReader,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  @Get('audit/contracts/:id/events')
  @ApiOperation({
    summary:
      "A contract's whole history in log order: its own stream and its services', invoices', tickets' and " +
      "call-backs', each event with the fields it changed (role auditor).",
  })
  @AuditListDocs()
  async list(
    @Param('id', ParseIdPipe) contractId: string,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
    @Headers('accept') accept?: string,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<void> {
    const filter = auditFilterOf(query, CONTRACT_STREAM_CATEGORIES);
    const page = pageRequestOf(pagingOf(query));
    const opened = await this.eventStore.readStream(contractStream(contractId), { maxCount: 1 });
    if (opened.length === 0) throw new DomainError('NOT_FOUND', 'No such contract.');
    await this.reader.awaitPosition(minPosition, [AUDIT_LOG]);
    await answerAuditList(
      this.audit.db,
      response,
      wantsCsv(accept) ? { fileName: `contract-${contractId}-events.csv` } : undefined,
      (after) => contractAuditEventsQuery(this.audit.db, contractId, filter, after),
      page,
    );
  }
}

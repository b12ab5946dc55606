import { Controller, Get, Headers, Inject, Param, Query } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError, isInstant } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { CLOCK, EVENT_STORE } from '@app/platform';
import type { Clock } from '@app/command-handling';
import { contractStateAt, type ContractStateAt } from '@app/projections';
import { ParseIdPipe, RequestValidationError, RequireRoles } from '../../http';
import { MIN_POSITION_HEADER } from '../../queries/query-docs';
import { QueryReader } from '../../queries/query-reader';
import { AUDIT_LOG } from '../audit-log-projection';
import { AuditReader } from '../audit-reader';

@ApiTags('audit')
@RequireRoles('auditor')
@Controller()
export class ContractStateHttpController {
  constructor(
    private readonly reader: QueryReader,
    private readonly audit: AuditReader,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('audit/contracts/:id/state')
  @ApiOperation({
    summary:
      'The contract and each of its services, invoices, tickets and call-backs as they were at an instant, ' +
      "rebuilt from their events with the domain's own evolve, never from read models (role auditor).",
  })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery({ name: 'at', required: false, description: 'An ISO-8601 instant with an offset; default now.' })
  @ApiOkResponse({
    description:
      '{ contractId, at, eventCount, contract: { stream, revision, state }, services: [...], invoices: [...], ' +
      'tickets: [...], callbacks: [...] }',
  })
  async state(
    @Param('id', ParseIdPipe) contractId: string,
    @Query() query: Record<string, unknown>,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<ContractStateAt> {
    // A parameter other than `at` is refused before, by the DeclaredQueryGuard.
    if (query.at !== undefined && !isInstant(query.at)) {
      throw new RequestValidationError([
        { field: 'at', message: 'at must be an ISO-8601 instant with an offset' },
      ]);
    }
    const at = typeof query.at === 'string' ? new Date(query.at) : this.clock.now();
    await this.reader.awaitPosition(minPosition, [AUDIT_LOG]);
    const state = await contractStateAt(this.eventStore, this.audit.db, contractId, at);
    if (state.contract === null) throw new DomainError('NOT_FOUND', 'No such contract at that instant.');
    return state;
  }
}

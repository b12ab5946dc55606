import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@app/domain';
import type { Caller } from '@app/platform';
import { serviceById, servicesOfContract, type ServiceRow } from '@app/projections';
import { CurrentUser, ParseIdPipe } from '../../http';
import { pageOf, pageRequestOf, type Page } from '../page-request';
import { MIN_POSITION_HEADER, PAGE_QUERY } from '../query-docs';
import { QueryReader } from '../query-reader';

/** A service as the portal shows it. */
export type ServiceView = Readonly<{
  serviceId: string;
  contractId: string;
  kind: string;
  plan: string;
  billingCycle: string;
  priceCents: number;
  parentServiceId: string | null;
  status: string;
  nextDueDate: string;
  paymentMethod: unknown;
  instanceId: string | null;
  suspensionReason: string | null;
}>;

const viewOf = (row: ServiceRow): ServiceView => ({
  serviceId: row.service_id,
  contractId: row.contract_id,
  kind: row.kind,
  plan: row.plan,
  billingCycle: row.billing_cycle,
  priceCents: Number(row.price_cents),
  parentServiceId: row.parent_service_id,
  status: row.status,
  nextDueDate: row.next_due_date,
  paymentMethod: row.payment_method ?? null,
  instanceId: row.instance_id,
  suspensionReason: row.suspension_reason,
});

const NO_SUCH_SERVICE = 'No such service.';

@ApiTags('queries')
@Controller()
export class ContractServicesHttpController {
  constructor(private readonly reader: QueryReader) {}

  @Get('contracts/:id/services')
  @ApiOperation({ summary: "The contract's services (permission `services.view`)." })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiOkResponse({
    description:
      '{ items: [{ serviceId, status, kind, plan, nextDueDate, paymentMethod, instanceId, suspensionReason, … }], nextCursor }',
  })
  async list(
    @CurrentUser() caller: Caller,
    @Param('id', ParseIdPipe) contractId: string,
    @Query() query: Record<string, unknown>,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<Page<ServiceView>> {
    const page = pageRequestOf(query);
    await this.reader.authorize(caller, contractId, 'services');
    await this.reader.awaitPosition(minPosition, ['services']);
    const rows = await servicesOfContract(this.reader.db, contractId, {
      limit: page.limit + 1,
      ...(page.after === undefined ? {} : { afterServiceId: page.after }),
    });
    return pageOf(rows, page, (row) => row.service_id, viewOf);
  }

  @Get('services/:id')
  @ApiOperation({ summary: 'One service (permission `services.view` on its contract).' })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiOkResponse({
    description:
      '{ serviceId, status, kind, plan, nextDueDate, paymentMethod, instanceId, suspensionReason, … }',
  })
  async one(
    @CurrentUser() caller: Caller,
    @Param('id', ParseIdPipe) serviceId: string,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<ServiceView> {
    await this.reader.awaitPosition(minPosition, ['services']);
    const row = await serviceById(this.reader.db, serviceId);
    // A missing service and one of a contract the caller may not read answer alike.
    if (!row) throw new DomainError('NOT_FOUND', NO_SUCH_SERVICE);
    await this.reader.authorize(caller, row.contract_id, 'services', NO_SUCH_SERVICE);
    return viewOf(row);
  }
}

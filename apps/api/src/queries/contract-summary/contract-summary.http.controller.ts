import { Controller, Get, Headers, Param } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@app/platform';
import { contractSummary, type ContractSummaryRow } from '@app/projections';
import { CurrentUser, ParseIdPipe } from '../../http';
import { MIN_POSITION_HEADER } from '../query-docs';
import { QueryReader, staleReadModel } from '../query-reader';

/** The portal's home page of a contract. */
export type ContractSummaryView = Readonly<{
  contractId: string;
  holderName: string;
  servicesByStatus: Readonly<{
    pending: number;
    active: number;
    suspended: number;
    cancelled: number;
    terminated: number;
  }>;
  /** Unpaid invoices: open or overdue. */
  openInvoices: Readonly<{
    count: number;
    overdueCount: number;
    totalCents: number;
    nextDueDate: string | null;
  }>;
  openTickets: number;
  activeAlerts: number;
}>;

const viewOf = (row: ContractSummaryRow): ContractSummaryView => ({
  contractId: row.contract_id,
  holderName: row.holder_name,
  servicesByStatus: {
    pending: row.services_pending,
    active: row.services_active,
    suspended: row.services_suspended,
    cancelled: row.services_cancelled,
    terminated: row.services_terminated,
  },
  openInvoices: {
    count: row.open_invoices_count,
    overdueCount: row.overdue_invoices_count,
    // bigint: the driver reads it back as text.
    totalCents: Number(row.open_invoices_total_cents),
    nextDueDate: row.next_invoice_due_date,
  },
  openTickets: row.open_tickets_count,
  activeAlerts: row.active_alerts_count,
});

const NO_SUCH_CONTRACT = 'No such contract.';

@ApiTags('queries')
@Controller('contracts/:id')
export class ContractSummaryHttpController {
  constructor(private readonly reader: QueryReader) {}

  @Get()
  @ApiOperation({
    summary:
      "A contract's summary: services by status, open invoices and their total, open tickets, active alerts (any member).",
  })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiOkResponse({
    description:
      '{ contractId, holderName, servicesByStatus: { pending, active, suspended, cancelled, terminated }, ' +
      'openInvoices: { count, overdueCount, totalCents, nextDueDate }, openTickets, activeAlerts }',
  })
  async summary(
    @CurrentUser() caller: Caller,
    @Param('id', ParseIdPipe) contractId: string,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<ContractSummaryView> {
    await this.reader.authorize(caller, contractId, 'contractSummary', NO_SUCH_CONTRACT);
    await this.reader.awaitPosition(minPosition, ['contract-summary']);
    const row = await contractSummary(this.reader.db, contractId);
    // The contract exists (it was authorized on its stream): only its summary is not built yet.
    if (!row) throw staleReadModel("The contract's summary is not built yet; try again shortly.");
    return viewOf(row);
  }
}

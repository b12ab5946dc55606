import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { InvoiceLine } from '@app/domain';
import type { Caller } from '@app/platform';
import { invoicesOfContract, notaFiscalOf, notasFiscaisOfContract, type InvoiceRow } from '@app/projections';
import { CurrentUser, ParseIdPipe, type FieldProblem } from '../../http';
import { isoInstant, isoInstantOrNull } from '../instants';
import { pageOf, pageRequestOf, type Page } from '../page-request';
import { MIN_POSITION_HEADER, PAGE_QUERY } from '../query-docs';
import { QueryReader } from '../query-reader';

/** An invoice as the portal's billing pages show it. */
export type InvoiceView = Readonly<{
  invoiceId: string;
  contractId: string;
  status: string;
  totalCents: number;
  dueDate: string;
  lines: readonly InvoiceLine[];
  issuedAt: string;
  paidAt: string | null;
  /** The São Paulo day of the payment. */
  paidOn: string | null;
  notaFiscal: Readonly<{ number: number; status: string; issuedAt: string | null }> | null;
}>;

const viewOf = (row: InvoiceRow): InvoiceView => {
  const notaFiscal = notaFiscalOf(row);
  return {
    invoiceId: row.invoice_id,
    contractId: row.contract_id,
    status: row.status,
    totalCents: row.total_cents,
    dueDate: row.due_date,
    lines: row.lines,
    issuedAt: isoInstant(row.issued_at),
    paidAt: isoInstantOrNull(row.paid_at),
    paidOn: row.paid_on,
    notaFiscal: notaFiscal && { ...notaFiscal, issuedAt: isoInstantOrNull(row.nota_fiscal_issued_at) },
  };
};

const NOTA_FISCAL_STATUSES = ['pending', 'issued'] as const;
type NotaFiscalStatus = (typeof NOTA_FISCAL_STATUSES)[number];

const isNotaFiscalStatus = (value: unknown): value is NotaFiscalStatus =>
  NOTA_FISCAL_STATUSES.some((status) => status === value);

const INVOICE_ITEM =
  '{ invoiceId, status, totalCents, dueDate, lines, issuedAt, paidAt, paidOn, notaFiscal: null | { number, status, issuedAt } }';

/** A contract's invoices and its notas fiscais (permission `billing`), newest first. */
@ApiTags('queries')
@Controller('contracts/:id')
export class ContractInvoicesHttpController {
  constructor(private readonly reader: QueryReader) {}

  @Get('invoices')
  @ApiOperation({ summary: "The contract's invoices, newest first (permission `billing`)." })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiOkResponse({ description: `{ items: [${INVOICE_ITEM}], nextCursor }` })
  async invoices(
    @CurrentUser() caller: Caller,
    @Param('id', ParseIdPipe) contractId: string,
    @Query() query: Record<string, unknown>,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<Page<InvoiceView>> {
    const page = pageRequestOf(query);
    await this.reader.authorize(caller, contractId, 'invoices');
    await this.reader.awaitPosition(minPosition, ['invoices']);
    const rows = await invoicesOfContract(this.reader.db, contractId, {
      limit: page.limit + 1,
      after: page.after,
    });
    return pageOf(rows, page, (row) => row.issued_position, viewOf);
  }

  @Get('notas-fiscais')
  @ApiOperation({
    summary:
      "The contract's notas fiscais (permission `billing`): `pending` lists the paid invoices whose nota is still " +
      'to be issued, `issued` the notas issued; newest invoice first.',
  })
  @ApiHeader(MIN_POSITION_HEADER)
  @ApiQuery({ name: 'status', required: true, enum: NOTA_FISCAL_STATUSES })
  @ApiQuery(PAGE_QUERY.limit)
  @ApiQuery(PAGE_QUERY.cursor)
  @ApiOkResponse({ description: `{ items: [${INVOICE_ITEM}], nextCursor }` })
  async notasFiscais(
    @CurrentUser() caller: Caller,
    @Param('id', ParseIdPipe) contractId: string,
    @Query() query: Record<string, unknown>,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<Page<InvoiceView>> {
    const status = query['status'];
    const statusProblems: FieldProblem[] = isNotaFiscalStatus(status)
      ? []
      : [{ field: 'status', message: 'status must be pending or issued' }];
    const page = pageRequestOf(query, statusProblems);
    await this.reader.authorize(caller, contractId, 'notasFiscais');
    await this.reader.awaitPosition(minPosition, ['invoices']);
    const rows = await notasFiscaisOfContract(this.reader.db, contractId, status as NotaFiscalStatus, {
      limit: page.limit + 1,
      after: page.after,
    });
    return pageOf(rows, page, (row) => row.issued_position, viewOf);
  }
}

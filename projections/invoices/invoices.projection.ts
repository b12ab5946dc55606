import type { Transaction } from 'kysely';
import { localDate, type InvoiceEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyNewEvents, type Projection } from '@app/projection-runner';
import { foldIntoTable, toJson, type FoldedTable, type RowStep } from '../shared';
import type { InvoiceRowUpdate, InvoicesDatabase, NewInvoiceRow } from './invoices.table';

const NAME = 'invoices';

const HANDLED = [
  'InvoiceIssued',
  'InvoiceMarkedOverdue',
  'InvoicePaid',
  'InvoiceRefunded',
  'InvoiceCancelled',
  'NotaFiscalIssued',
  'NotaFiscalCancelled',
] as const satisfies readonly InvoiceEvent['type'][];

/** What an event changes on its invoice's row; InvoiceIssued creates the row instead. */
const changeOf = (event: InvoiceEvent): InvoiceRowUpdate | undefined => {
  switch (event.type) {
    case 'InvoiceMarkedOverdue':
      return { status: 'overdue' };
    case 'InvoicePaid':
      return { status: 'paid', paid_at: event.data.paidAt, paid_on: localDate(event.data.paidAt) };
    case 'InvoiceRefunded':
      return { status: 'refunded' };
    case 'InvoiceCancelled':
      return { status: 'cancelled' };
    case 'NotaFiscalIssued':
      return {
        nota_fiscal_number: event.data.number,
        nota_fiscal_status: 'issued',
        nota_fiscal_issued_at: event.data.issuedAt,
      };
    case 'NotaFiscalCancelled':
      return { nota_fiscal_status: 'cancelled' };
    default:
      return undefined;
  }
};

const INVOICES: FoldedTable<NewInvoiceRow> = {
  name: 'invoices',
  key: 'invoice_id',
  columns: {
    invoice_id: 'value',
    contract_id: 'value',
    status: 'value',
    total_cents: 'value',
    due_date: 'value',
    lines: 'json',
    issued_at: 'value',
    paid_at: 'value',
    paid_on: 'value',
    nota_fiscal_number: 'value',
    nota_fiscal_status: 'value',
    nota_fiscal_issued_at: 'value',
    issued_position: 'value',
    revision: 'value',
  },
};

const stepOf = (recorded: RecordedEvent): RowStep<NewInvoiceRow> | undefined => {
  const event = { type: recorded.type, data: recorded.data } as InvoiceEvent;
  const key = event.data.invoiceId;
  if (event.type === 'InvoiceIssued') {
    const { data } = event;
    return {
      key,
      creates: {
        invoice_id: data.invoiceId,
        contract_id: data.contractId,
        status: 'open',
        total_cents: data.totalCents,
        due_date: data.dueDate,
        lines: toJson(data.lines),
        issued_at: data.issuedAt,
        paid_at: null,
        paid_on: null,
        nota_fiscal_number: null,
        nota_fiscal_status: null,
        nota_fiscal_issued_at: null,
        issued_position: recorded.position,
        revision: recorded.revision,
      },
    };
  }
  const change = changeOf(event);
  if (!change) return undefined;
  return { key, changes: () => ({ ...change, revision: recorded.revision }) };
};

const applyAll = async (
  trx: Transaction<InvoicesDatabase>,
  events: readonly RecordedEvent[],
): Promise<void> =>
  foldIntoTable(
    trx as unknown as Transaction<unknown>,
    INVOICES,
    events.map(stepOf).filter((step) => step !== undefined),
  );

/** Every invoice with its status, total, due date, lines and nota fiscal: a contract's billing pages. */
export const invoicesProjection: Projection<InvoicesDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  tables: ['invoices'],
  apply: applyNewEvents(NAME, applyAll),
};

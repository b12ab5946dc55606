import type { Transaction } from 'kysely';
import { localDate, type InvoiceEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyEachNewEvent, type Projection } from '@app/projection-runner';
import { toJson } from '../shared';
import type { InvoiceRowUpdate, InvoicesDatabase } from './invoices.table';

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

const applyOne = async (trx: Transaction<InvoicesDatabase>, recorded: RecordedEvent): Promise<void> => {
  const event = { type: recorded.type, data: recorded.data } as InvoiceEvent;
  if (event.type === 'InvoiceIssued') {
    const { data } = event;
    await trx
      .insertInto('invoices')
      .values({
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
      })
      .execute();
    return;
  }
  const change = changeOf(event);
  if (!change) return;
  await trx
    .updateTable('invoices')
    .set({ ...change, revision: recorded.revision })
    .where('invoice_id', '=', event.data.invoiceId)
    .execute();
};

/** Every invoice with its status, total, due date, lines and nota fiscal: a contract's billing pages. */
export const invoicesProjection: Projection<InvoicesDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  tables: ['invoices'],
  apply: applyEachNewEvent(NAME, applyOne),
};

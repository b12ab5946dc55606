import type { ReadModelReader } from '@app/projection-runner';
import type { InvoiceNotaFiscal } from '@app/domain';
import type { KeysetPage } from '../shared';
import type { InvoiceRow, InvoicesDatabase } from './invoices.table';

/** A contract's invoices, newest first; the key is `issued_position`. */
export const invoicesOfContract = (
  db: ReadModelReader<InvoicesDatabase>,
  contractId: string,
  page: KeysetPage,
): Promise<InvoiceRow[]> => {
  let query = db.selectFrom('invoices').selectAll().where('contract_id', '=', contractId);
  if (page.after !== undefined) query = query.where('issued_position', '<', page.after);
  return query.orderBy('issued_position', 'desc').limit(page.limit).execute();
};

export const invoiceById = (
  db: ReadModelReader<InvoicesDatabase>,
  invoiceId: string,
): Promise<InvoiceRow | undefined> =>
  db.selectFrom('invoices').selectAll().where('invoice_id', '=', invoiceId).executeTakeFirst();

/**
 * A contract's notas fiscais, newest invoice first, keyed by `issued_position`: `pending` lists the paid invoices
 * whose nota is still to be issued (what a customer may issue early), `issued` the notas issued and not cancelled.
 */
export const notasFiscaisOfContract = (
  db: ReadModelReader<InvoicesDatabase>,
  contractId: string,
  status: 'pending' | 'issued',
  page: KeysetPage,
): Promise<InvoiceRow[]> => {
  let query = db.selectFrom('invoices').selectAll().where('contract_id', '=', contractId);
  query =
    status === 'pending'
      ? query.where('status', '=', 'paid').where('nota_fiscal_number', 'is', null)
      : query.where('nota_fiscal_status', '=', 'issued');
  if (page.after !== undefined) query = query.where('issued_position', '<', page.after);
  return query.orderBy('issued_position', 'desc').limit(page.limit).execute();
};

/** An invoice's nota fiscal as the API shows it: `null` until one is issued. */
export const notaFiscalOf = (
  row: Pick<InvoiceRow, 'nota_fiscal_number' | 'nota_fiscal_status'>,
): Readonly<{ number: number; status: InvoiceNotaFiscal['status'] }> | null =>
  row.nota_fiscal_number === null || row.nota_fiscal_status === null
    ? null
    : { number: row.nota_fiscal_number, status: row.nota_fiscal_status };

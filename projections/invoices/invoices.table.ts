import type { Insertable, Selectable, Updateable } from 'kysely';
import type { InvoiceLine, InvoiceNotaFiscal, InvoiceStatus } from '@app/domain';
import type { InstantColumn, JsonColumn, NullableInstantColumn } from '../shared';

/** One row per invoice: what the portal's invoice list and its notas fiscais page show. */
export interface InvoicesTable {
  invoice_id: string;
  contract_id: string;
  status: Exclude<InvoiceStatus, 'none'>;
  total_cents: number;
  /** YYYY-MM-DD, a Sao Paulo calendar day. */
  due_date: string;
  lines: JsonColumn<readonly InvoiceLine[]>;
  issued_at: InstantColumn;
  paid_at: NullableInstantColumn;
  /** The Sao Paulo day of the payment: a payment at 23:30 local time belongs to that day, not the next. */
  paid_on: string | null;
  /** Null until the nota fiscal is issued. */
  nota_fiscal_number: number | null;
  nota_fiscal_status: InvoiceNotaFiscal['status'] | null;
  nota_fiscal_issued_at: NullableInstantColumn;
  /** Log position of the invoice's issue: the key of every invoice list, newest first. */
  issued_position: string;
  /** Revision of the last event applied to the row. */
  revision: number;
}

export type InvoiceRow = Selectable<InvoicesTable>;
export type NewInvoiceRow = Insertable<InvoicesTable>;
export type InvoiceRowUpdate = Updateable<InvoicesTable>;

export interface InvoicesDatabase {
  invoices: InvoicesTable;
}

import { sql, type SelectQueryBuilder } from 'kysely';
import type { ReadModelReader } from '@app/projection-runner';
import type { BillingAgendaDatabase } from './billing-agenda.table';

type Reader = ReadModelReader<BillingAgendaDatabase>;

/** Rows read per query: a run over a large book reads it page by page, never all at once. */
export const AGENDA_PAGE_SIZE = 1_000;

/** Every value of `key` a query selects, page by page in key order. */
async function* pages<K extends string>(
  query: (after: string | undefined) => SelectQueryBuilder<BillingAgendaDatabase, never, Record<K, string>>,
  key: K,
): AsyncGenerator<readonly string[]> {
  let after: string | undefined;
  for (;;) {
    const rows = await query(after).limit(AGENDA_PAGE_SIZE).execute();
    if (rows.length > 0) yield rows.map((row) => row[key]);
    if (rows.length < AGENDA_PAGE_SIZE) return;
    after = rows[rows.length - 1]![key];
  }
}

/**
 * Services that may have a period to invoice by `horizon`: billable now (active, or suspended for non-payment and
 * still billed during retention), next due date on or before it. A suspension by staff is not billed, and would
 * otherwise be looked at again by every run for as long as it lasts.
 */
export const servicesDueBy = (db: Reader, horizon: string) =>
  pages((after) => {
    let q = db
      .selectFrom('billing_agenda_services')
      .select('service_id')
      .where((eb) =>
        eb.or([
          eb('status', '=', 'active'),
          eb.and([eb('status', '=', 'suspended'), eb('suspension_reason', '=', 'non_payment')]),
        ]),
      )
      .where('next_due_date', '<=', horizon)
      .orderBy('service_id');
    if (after !== undefined) q = q.where('service_id', '>', after);
    return q;
  }, 'service_id');

/** Invoices still open (not yet recorded overdue) whose due date is before `date`. */
export const openInvoicesDueBefore = (db: Reader, date: string) =>
  pages((after) => {
    let q = db
      .selectFrom('billing_agenda_invoices')
      .select('invoice_id')
      .where('status', '=', 'open')
      .where('due_date', '<', date)
      .orderBy('invoice_id');
    if (after !== undefined) q = q.where('invoice_id', '>', after);
    return q;
  }, 'invoice_id');

/**
 * Invoices unpaid (open or overdue) whose due date is before `date` and that bill a service still active: the
 * only ones whose non-payment can still suspend anything. Those of services terminated, cancelled or already
 * suspended stay unpaid for good, and are not looked at again.
 */
export const unpaidInvoicesOfActiveServicesDueBefore = (db: Reader, date: string) =>
  pages((after) => {
    let q = db
      .selectFrom('billing_agenda_invoices as invoice')
      .select('invoice.invoice_id')
      .where('invoice.status', 'in', ['open', 'overdue'])
      .where('invoice.due_date', '<', date)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('billing_agenda_services as service')
            .select('service.service_id')
            .where('service.status', '=', 'active')
            .where(sql<boolean>`service.service_id = any(invoice.service_ids)`),
        ),
      )
      .orderBy('invoice.invoice_id');
    if (after !== undefined) q = q.where('invoice.invoice_id', '>', after);
    return q;
  }, 'invoice_id');

/** Services suspended for non-payment whose retention ends on or before `date`. */
export const retentionEndedBy = (db: Reader, date: string) =>
  pages((after) => {
    let q = db
      .selectFrom('billing_agenda_services')
      .select('service_id')
      .where('retention_ends_on', '<=', date)
      .orderBy('service_id');
    if (after !== undefined) q = q.where('service_id', '>', after);
    return q;
  }, 'service_id');

/** Services whose cancellation scheduled for the end of the period takes effect on or before `date`. */
export const cancellationsEffectiveBy = (db: Reader, date: string) =>
  pages((after) => {
    let q = db
      .selectFrom('billing_agenda_services')
      .select('service_id')
      .where('cancellation_effective_on', '<=', date)
      .orderBy('service_id');
    if (after !== undefined) q = q.where('service_id', '>', after);
    return q;
  }, 'service_id');

/** Paid invoices whose nota fiscal is still to be issued, in invoice id order. */
export const notasFiscaisPending = (db: Reader) =>
  pages((after) => {
    let q = db
      .selectFrom('billing_agenda_invoices')
      .select('invoice_id')
      .where('nota_fiscal_pending', '=', true)
      .orderBy('invoice_id');
    if (after !== undefined) q = q.where('invoice_id', '>', after);
    return q;
  }, 'invoice_id');

/** Tickets answered by staff at or before `instant` with nothing since. */
export const ticketsAnsweredBy = (db: Reader, instant: string) =>
  pages((after) => {
    let q = db
      .selectFrom('billing_agenda_tickets')
      .select('ticket_id')
      .where('answered_at', '<=', instant as unknown as Date)
      .orderBy('ticket_id');
    if (after !== undefined) q = q.where('ticket_id', '>', after);
    return q;
  }, 'ticket_id');

/** Pending invitations that expire at or before `instant`, as `contractId`/`invitationId` pairs. */
export const invitationsExpiringBy = async (
  db: Reader,
  instant: string,
): Promise<readonly Readonly<{ contractId: string; invitationId: string }>[]> =>
  (
    await db
      .selectFrom('billing_agenda_invitations')
      .select(['contract_id', 'invitation_id'])
      .where('expires_at', '<=', instant as unknown as Date)
      .orderBy('contract_id')
      .orderBy('invitation_id')
      .execute()
  ).map((row) => ({ contractId: row.contract_id, invitationId: row.invitation_id }));

/** The add-ons of a parent service, whatever their status. */
export const addonIdsOf = async (db: Reader, parentServiceId: string): Promise<readonly string[]> =>
  (
    await db
      .selectFrom('billing_agenda_services')
      .select('service_id')
      .where('parent_service_id', '=', parentServiceId)
      .orderBy('service_id')
      .execute()
  ).map((row) => row.service_id);

import type { Transaction, Updateable } from 'kysely';
import {
  terminationDate,
  type ContractEvent,
  type InvoiceEvent,
  type ServiceEvent,
  type TicketEvent,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyEachNewEvent, type Projection } from '@app/projection-runner';
import type {
  BillingAgendaDatabase,
  BillingAgendaInvoicesTable,
  BillingAgendaServicesTable,
} from './billing-agenda.table';

const NAME = 'billing-agenda';

const HANDLED = [
  'ServiceOrdered',
  'ServiceInvoicePaid',
  'ServiceActivated',
  'ServiceSuspended',
  'ServiceReactivated',
  'ServiceCancellationScheduled',
  'ServiceCancelled',
  'ServiceTerminated',
  'InvoiceIssued',
  'InvoiceMarkedOverdue',
  'InvoicePaid',
  'InvoiceRefunded',
  'InvoiceCancelled',
  'NotaFiscalIssued',
  'TicketOpened',
  'TicketReplied',
  'TicketReopened',
  'TicketStatusChanged',
  'TicketClosed',
  'UserInvited',
  'InvitationAccepted',
  'InvitationRevoked',
  'InvitationExpired',
] as const satisfies readonly (ServiceEvent | InvoiceEvent | TicketEvent | ContractEvent)['type'][];

type AgendaEvent = ServiceEvent | InvoiceEvent | TicketEvent | ContractEvent;
type Trx = Transaction<BillingAgendaDatabase>;

const applyService = async (trx: Trx, event: ServiceEvent): Promise<void> => {
  const serviceId = event.data.serviceId;
  const update = (set: Updateable<BillingAgendaServicesTable>) =>
    trx.updateTable('billing_agenda_services').set(set).where('service_id', '=', serviceId).execute();
  switch (event.type) {
    case 'ServiceOrdered':
      await trx
        .insertInto('billing_agenda_services')
        .values({
          service_id: serviceId,
          kind: event.data.kind,
          parent_kind: event.data.parentKind,
          status: 'pending',
          suspension_reason: null,
          next_due_date: event.data.firstDueDate,
          retention_ends_on: null,
          cancellation_effective_on: null,
          parent_service_id: event.data.parentServiceId,
        })
        .execute();
      return;
    case 'ServiceInvoicePaid':
      await update({ next_due_date: event.data.nextDueDate });
      return;
    case 'ServiceActivated':
      await update({ status: 'active' });
      return;
    case 'ServiceSuspended': {
      const row = await trx
        .selectFrom('billing_agenda_services')
        .select(['kind', 'parent_kind', 'status', 'retention_ends_on'])
        .where('service_id', '=', serviceId)
        .executeTakeFirst();
      if (!row) return;
      // Retention counts from the first suspension, so a second one (staff escalating it) keeps its start.
      const retention =
        event.data.reason !== 'non_payment'
          ? null
          : (row.retention_ends_on ??
            terminationDate(row.kind, event.data.suspendedOn, row.parent_kind ?? undefined));
      await update({
        status: 'suspended',
        suspension_reason: event.data.reason,
        retention_ends_on: retention,
      });
      return;
    }
    case 'ServiceReactivated':
      await update({ status: 'active', suspension_reason: null, retention_ends_on: null });
      return;
    case 'ServiceCancellationScheduled':
      await update({ cancellation_effective_on: event.data.effectiveOn });
      return;
    case 'ServiceCancelled':
    case 'ServiceTerminated':
      await update({
        status: event.type === 'ServiceCancelled' ? 'cancelled' : 'terminated',
        retention_ends_on: null,
        cancellation_effective_on: null,
      });
      return;
    default:
      return;
  }
};

const applyInvoice = async (trx: Trx, event: InvoiceEvent): Promise<void> => {
  const invoiceId = event.data.invoiceId;
  const update = (set: Updateable<BillingAgendaInvoicesTable>) =>
    trx.updateTable('billing_agenda_invoices').set(set).where('invoice_id', '=', invoiceId).execute();
  switch (event.type) {
    case 'InvoiceIssued':
      await trx
        .insertInto('billing_agenda_invoices')
        .values({
          invoice_id: invoiceId,
          status: 'open',
          due_date: event.data.dueDate,
          nota_fiscal_pending: false,
        })
        .execute();
      return;
    case 'InvoiceMarkedOverdue':
      await update({ status: 'overdue' });
      return;
    case 'InvoicePaid':
      await update({ status: 'paid', nota_fiscal_pending: true });
      return;
    case 'InvoiceRefunded':
      await update({ status: 'refunded', nota_fiscal_pending: false });
      return;
    case 'InvoiceCancelled':
      await update({ status: 'cancelled', nota_fiscal_pending: false });
      return;
    case 'NotaFiscalIssued':
      await update({ nota_fiscal_pending: false });
      return;
    default:
      return;
  }
};

const applyTicket = async (trx: Trx, event: TicketEvent): Promise<void> => {
  const ticketId = event.data.ticketId;
  // Answered from a staff reply until anything else happens to the ticket.
  const answeredAt =
    event.type === 'TicketReplied' && event.data.author.kind === 'staff' ? event.data.at : null;
  await trx
    .insertInto('billing_agenda_tickets')
    .values({ ticket_id: ticketId, answered_at: answeredAt })
    .onConflict((oc) => oc.column('ticket_id').doUpdateSet({ answered_at: answeredAt }))
    .execute();
};

const applyContract = async (trx: Trx, event: ContractEvent): Promise<void> => {
  if (event.type === 'UserInvited') {
    await trx
      .insertInto('billing_agenda_invitations')
      .values({
        contract_id: event.data.contractId,
        invitation_id: event.data.invitationId,
        expires_at: event.data.expiresAt,
      })
      .onConflict((oc) => oc.columns(['contract_id', 'invitation_id']).doNothing())
      .execute();
    return;
  }
  if (
    event.type === 'InvitationAccepted' ||
    event.type === 'InvitationRevoked' ||
    event.type === 'InvitationExpired'
  ) {
    await trx
      .deleteFrom('billing_agenda_invitations')
      .where('contract_id', '=', event.data.contractId)
      .where('invitation_id', '=', event.data.invitationId)
      .execute();
  }
};

const applyOne = async (trx: Trx, recorded: RecordedEvent): Promise<void> => {
  const event = { type: recorded.type, data: recorded.data } as AgendaEvent;
  if (event.type.startsWith('Service')) return applyService(trx, event as ServiceEvent);
  if (event.type.startsWith('Invoice') || event.type.startsWith('NotaFiscal'))
    return applyInvoice(trx, event as InvoiceEvent);
  if (event.type.startsWith('Ticket')) return applyTicket(trx, event as TicketEvent);
  return applyContract(trx, event as ContractEvent);
};

/**
 * The billing clock's agenda: per service its next due date, retention end and scheduled cancellation; per
 * invoice its due date while unpaid and whether its nota fiscal is pending; answered tickets; pending invitations.
 */
export const billingAgendaProjection: Projection<BillingAgendaDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  apply: applyEachNewEvent(NAME, applyOne),
};

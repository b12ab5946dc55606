import type { Insertable, Transaction } from 'kysely';
import {
  terminationDate,
  type ContractEvent,
  type InvoiceEvent,
  type ServiceEvent,
  type TicketEvent,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyNewEvents, type Projection } from '@app/projection-runner';
import { foldIntoTable, upsertRows, type FoldedTable, type RowStep, type TableColumns } from '../shared';
import type {
  BillingAgendaDatabase,
  BillingAgendaInvitationsTable,
  BillingAgendaInvoicesTable,
  BillingAgendaServicesTable,
  BillingAgendaTicketsTable,
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

type ServiceRow = BillingAgendaServicesTable;
type InvoiceRow = BillingAgendaInvoicesTable;
type InvitationRow = Insertable<BillingAgendaInvitationsTable>;

const SERVICES: FoldedTable<ServiceRow> = {
  name: 'billing_agenda_services',
  key: 'service_id',
  columns: {
    service_id: 'value',
    kind: 'value',
    parent_kind: 'value',
    status: 'value',
    suspension_reason: 'value',
    next_due_date: 'value',
    retention_ends_on: 'value',
    cancellation_effective_on: 'value',
    parent_service_id: 'value',
  },
};

const INVOICES: FoldedTable<InvoiceRow> = {
  name: 'billing_agenda_invoices',
  key: 'invoice_id',
  columns: {
    invoice_id: 'value',
    status: 'value',
    due_date: 'value',
    nota_fiscal_pending: 'value',
    service_ids: 'value',
  },
};

const TICKETS = {
  name: 'billing_agenda_tickets',
  columns: { ticket_id: 'value', answered_at: 'value' },
} as const satisfies Readonly<{ name: string; columns: TableColumns<Insertable<BillingAgendaTicketsTable>> }>;

const INVITATIONS = {
  name: 'billing_agenda_invitations',
  columns: { contract_id: 'value', invitation_id: 'value', expires_at: 'value' },
} as const satisfies Readonly<{ name: string; columns: TableColumns<InvitationRow> }>;

const serviceStepOf = (event: ServiceEvent): RowStep<ServiceRow> | undefined => {
  const key = event.data.serviceId;
  const changes = (set: Partial<ServiceRow>): RowStep<ServiceRow> => ({ key, changes: () => set });
  switch (event.type) {
    case 'ServiceOrdered':
      return {
        key,
        creates: {
          service_id: key,
          kind: event.data.kind,
          parent_kind: event.data.parentKind,
          status: 'pending',
          suspension_reason: null,
          next_due_date: event.data.firstDueDate,
          retention_ends_on: null,
          cancellation_effective_on: null,
          parent_service_id: event.data.parentServiceId,
        },
      };
    case 'ServiceInvoicePaid':
      return changes({ next_due_date: event.data.nextDueDate });
    case 'ServiceActivated':
      return changes({ status: 'active' });
    case 'ServiceSuspended':
      return {
        key,
        changes: (row) => ({
          status: 'suspended',
          suspension_reason: event.data.reason,
          // Retention counts from the first suspension, so a second one (staff escalating it) keeps its start.
          retention_ends_on:
            event.data.reason !== 'non_payment'
              ? null
              : (row.retention_ends_on ??
                terminationDate(row.kind, event.data.suspendedOn, row.parent_kind ?? undefined)),
        }),
      };
    case 'ServiceReactivated':
      return changes({ status: 'active', suspension_reason: null, retention_ends_on: null });
    case 'ServiceCancellationScheduled':
      return changes({ cancellation_effective_on: event.data.effectiveOn });
    case 'ServiceCancelled':
    case 'ServiceTerminated':
      return changes({
        status: event.type === 'ServiceCancelled' ? 'cancelled' : 'terminated',
        retention_ends_on: null,
        cancellation_effective_on: null,
      });
    default:
      return undefined;
  }
};

const invoiceStepOf = (event: InvoiceEvent): RowStep<InvoiceRow> | undefined => {
  const key = event.data.invoiceId;
  const changes = (set: Partial<InvoiceRow>): RowStep<InvoiceRow> => ({ key, changes: () => set });
  switch (event.type) {
    case 'InvoiceIssued':
      return {
        key,
        creates: {
          invoice_id: key,
          status: 'open',
          due_date: event.data.dueDate,
          nota_fiscal_pending: false,
          service_ids: [...new Set(event.data.lines.map((line) => line.serviceId))],
        },
      };
    case 'InvoiceMarkedOverdue':
      return changes({ status: 'overdue' });
    case 'InvoicePaid':
      return changes({ status: 'paid', nota_fiscal_pending: true });
    case 'InvoiceRefunded':
      return changes({ status: 'refunded', nota_fiscal_pending: false });
    case 'InvoiceCancelled':
      return changes({ status: 'cancelled', nota_fiscal_pending: false });
    case 'NotaFiscalIssued':
      return changes({ nota_fiscal_pending: false });
    default:
      return undefined;
  }
};

/** Answered from a staff reply until anything else happens to the ticket: only each ticket's last event counts. */
const answeredTickets = (events: readonly TicketEvent[]): Insertable<BillingAgendaTicketsTable>[] => {
  const answeredAt = new Map<string, string | null>();
  for (const event of events)
    answeredAt.set(
      event.data.ticketId,
      event.type === 'TicketReplied' && event.data.author.kind === 'staff' ? event.data.at : null,
    );
  return [...answeredAt].map(([ticket_id, answered_at]) => ({ ticket_id, answered_at }));
};

const invitationKey = (contractId: string, invitationId: string) => `${contractId} ${invitationId}`;

/**
 * Pending invitations after the batch: an invitation is added unless pending already (its first expiry kept) and
 * removed once accepted, revoked or expired. One insert for those that became pending, one delete for those that
 * ended.
 */
const applyInvitations = async (trx: Trx, events: readonly ContractEvent[]): Promise<void> => {
  const touched = new Map<string, Readonly<{ contractId: string; invitationId: string }>>();
  for (const event of events)
    if ('invitationId' in event.data)
      touched.set(invitationKey(event.data.contractId, event.data.invitationId), event.data);
  if (touched.size === 0) return;
  const found = await trx
    .selectFrom('billing_agenda_invitations')
    .select(['contract_id', 'invitation_id'])
    .where((eb) =>
      eb.or(
        [...touched.values()].map(({ contractId, invitationId }) =>
          eb.and([eb('contract_id', '=', contractId), eb('invitation_id', '=', invitationId)]),
        ),
      ),
    )
    .execute();
  const existed = new Set(found.map((row) => invitationKey(row.contract_id, row.invitation_id)));
  const pending = new Map<string, InvitationRow | 'as it was'>([...existed].map((key) => [key, 'as it was']));
  for (const event of events) {
    if (event.type === 'UserInvited') {
      const key = invitationKey(event.data.contractId, event.data.invitationId);
      if (!pending.has(key))
        pending.set(key, {
          contract_id: event.data.contractId,
          invitation_id: event.data.invitationId,
          expires_at: event.data.expiresAt,
        });
    } else if (
      event.type === 'InvitationAccepted' ||
      event.type === 'InvitationRevoked' ||
      event.type === 'InvitationExpired'
    )
      pending.delete(invitationKey(event.data.contractId, event.data.invitationId));
  }
  const added = [...pending.values()].filter((row) => row !== 'as it was');
  await upsertRows(
    trx as unknown as Transaction<unknown>,
    INVITATIONS,
    ['contract_id', 'invitation_id'],
    added,
  );
  const ended = [...existed].filter((key) => !pending.has(key)).map((key) => touched.get(key)!);
  if (ended.length > 0)
    await trx
      .deleteFrom('billing_agenda_invitations')
      .where((eb) =>
        eb.or(
          ended.map(({ contractId, invitationId }) =>
            eb.and([eb('contract_id', '=', contractId), eb('invitation_id', '=', invitationId)]),
          ),
        ),
      )
      .execute();
};

const applyAll = async (trx: Trx, events: readonly RecordedEvent[]): Promise<void> => {
  const services: RowStep<ServiceRow>[] = [];
  const invoices: RowStep<InvoiceRow>[] = [];
  const tickets: TicketEvent[] = [];
  const contracts: ContractEvent[] = [];
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as AgendaEvent;
    if (event.type.startsWith('Service')) {
      const step = serviceStepOf(event as ServiceEvent);
      if (step) services.push(step);
    } else if (event.type.startsWith('Invoice') || event.type.startsWith('NotaFiscal')) {
      const step = invoiceStepOf(event as InvoiceEvent);
      if (step) invoices.push(step);
    } else if (event.type.startsWith('Ticket')) tickets.push(event as TicketEvent);
    else contracts.push(event as ContractEvent);
  }
  const writer = trx as unknown as Transaction<unknown>;
  await foldIntoTable(writer, SERVICES, services);
  await foldIntoTable(writer, INVOICES, invoices);
  await upsertRows(writer, TICKETS, ['ticket_id'], answeredTickets(tickets));
  await applyInvitations(trx, contracts);
};

/**
 * The billing clock's agenda: per service its next due date, retention end and scheduled cancellation; per
 * invoice its due date while unpaid and whether its nota fiscal is pending; answered tickets; pending invitations.
 */
export const billingAgendaProjection: Projection<BillingAgendaDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  apply: applyNewEvents(NAME, applyAll),
};

import type { Transaction } from 'kysely';
import type { InvoiceEvent, ServiceEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyEachNewEvent, type Projection } from '@app/projection-runner';
import type {
  AnalyticsInvoicesTable,
  ServiceStatusIntervalsTable,
  ServiceStatusTimelineDatabase,
} from './service-status-timeline.table';

const NAME = 'service-status-timeline';

const HANDLED = [
  'ServiceOrdered',
  'ServiceActivated',
  'ServiceSuspended',
  'ServiceReactivated',
  'ServiceCancelled',
  'ServiceTerminated',
  'InvoiceIssued',
  'InvoiceMarkedOverdue',
  'InvoicePaid',
  'InvoiceCancelled',
  'InvoiceRefunded',
] as const satisfies readonly (ServiceEvent['type'] | InvoiceEvent['type'])[];

type Trx = Transaction<ServiceStatusTimelineDatabase>;

/** The status an event moves its service into, when, and why. */
type StatusChange = Readonly<{
  serviceId: string;
  status: ServiceStatusIntervalsTable['status'];
  at: string;
  reason: string | null;
  invoiceId: string | null;
}>;

const statusChangeOf = (event: ServiceEvent): StatusChange | undefined => {
  switch (event.type) {
    case 'ServiceActivated':
      return { ...base(event.data.serviceId, 'active', event.data.activatedAt), reason: null };
    case 'ServiceSuspended':
      return {
        ...base(event.data.serviceId, 'suspended', event.data.suspendedAt),
        reason: event.data.reason,
        invoiceId: event.data.invoiceId,
      };
    case 'ServiceReactivated':
      return { ...base(event.data.serviceId, 'active', event.data.reactivatedAt), reason: event.data.by };
    case 'ServiceCancelled':
      return {
        ...base(event.data.serviceId, 'cancelled', event.data.cancelledAt),
        reason: event.data.reason,
      };
    case 'ServiceTerminated':
      return {
        ...base(event.data.serviceId, 'terminated', event.data.terminatedAt),
        reason: event.data.cause,
      };
    default:
      return undefined;
  }
};

const base = (serviceId: string, status: StatusChange['status'], at: string): StatusChange => ({
  serviceId,
  status,
  at,
  reason: null,
  invoiceId: null,
});

/** Closes the service's open interval at the change and opens the next one. */
const changeStatus = async (trx: Trx, change: StatusChange, revision: number): Promise<void> => {
  const closed = await trx
    .updateTable('service_status_intervals')
    .set({ to_at: change.at })
    .where('service_id', '=', change.serviceId)
    .where('to_at', 'is', null)
    .returning(['status', 'kind', 'contract_id'])
    .executeTakeFirst();
  // An event for a service this read model never saw ordered has nothing to follow; history is not invented.
  if (!closed) return;
  await trx
    .insertInto('service_status_intervals')
    .values({
      service_id: change.serviceId,
      from_revision: revision,
      contract_id: closed.contract_id,
      kind: closed.kind,
      status: change.status,
      reason: change.reason,
      invoice_id: change.invoiceId,
      previous_status: closed.status,
      from_at: change.at,
      to_at: null,
    })
    .execute();
};

const invoiceChangeOf = (
  event: InvoiceEvent,
):
  | Partial<Pick<AnalyticsInvoicesTable, 'overdue_at' | 'paid_at' | 'cancelled_at' | 'refunded_at'>>
  | undefined => {
  switch (event.type) {
    case 'InvoiceMarkedOverdue':
      return { overdue_at: event.data.markedAt };
    case 'InvoicePaid':
      return { paid_at: event.data.paidAt };
    case 'InvoiceCancelled':
      return { cancelled_at: event.data.cancelledAt };
    case 'InvoiceRefunded':
      return { refunded_at: event.data.refundedAt };
    default:
      return undefined;
  }
};

const applyOne = async (trx: Trx, recorded: RecordedEvent): Promise<void> => {
  const event = { type: recorded.type, data: recorded.data } as ServiceEvent | InvoiceEvent;
  if (event.type === 'ServiceOrdered') {
    const { data } = event;
    await trx
      .insertInto('service_status_intervals')
      .values({
        service_id: data.serviceId,
        from_revision: recorded.revision,
        contract_id: data.contractId,
        kind: data.kind,
        status: 'pending',
        reason: null,
        invoice_id: null,
        previous_status: null,
        from_at: data.orderedAt,
        to_at: null,
      })
      .execute();
    return;
  }
  if (event.type === 'InvoiceIssued') {
    const { data } = event;
    await trx
      .insertInto('analytics_invoices')
      .values({
        invoice_id: data.invoiceId,
        contract_id: data.contractId,
        total_cents: data.totalCents,
        due_date: data.dueDate,
        issued_at: data.issuedAt,
        overdue_at: null,
        paid_at: null,
        cancelled_at: null,
        refunded_at: null,
      })
      .execute();
    return;
  }
  const invoiceChange = invoiceChangeOf(event as InvoiceEvent);
  if (invoiceChange) {
    await trx
      .updateTable('analytics_invoices')
      .set(invoiceChange)
      .where('invoice_id', '=', (event as InvoiceEvent).data.invoiceId)
      .execute();
    return;
  }
  const statusChange = statusChangeOf(event as ServiceEvent);
  if (statusChange) await changeStatus(trx, statusChange, recorded.revision);
};

/**
 * Status timelines of every service (one row per interval in a status, with its reason) and the instants each
 * invoice was issued, became overdue, was paid, cancelled or refunded: what the analysts' queries read.
 */
export const serviceStatusTimelineProjection: Projection<ServiceStatusTimelineDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  apply: applyEachNewEvent(NAME, applyOne),
};

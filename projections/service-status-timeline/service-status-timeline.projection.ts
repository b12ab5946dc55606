import type { Transaction } from 'kysely';
import type { InvoiceEvent, ServiceEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyNewEvents, type Projection } from '@app/projection-runner';
import { foldIntoTable, upsertRows, type FoldedTable, type RowStep, type TableColumns } from '../shared';
import type {
  AnalyticsInvoicesTable,
  NewServiceStatusIntervalRow,
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

const INTERVALS = {
  name: 'service_status_intervals',
  columns: {
    service_id: 'value',
    from_revision: 'value',
    contract_id: 'value',
    kind: 'value',
    status: 'value',
    reason: 'value',
    invoice_id: 'value',
    previous_status: 'value',
    from_at: 'value',
    to_at: 'value',
  },
} as const satisfies Readonly<{ name: string; columns: TableColumns<NewServiceStatusIntervalRow> }>;

const ANALYTICS_INVOICES: FoldedTable<AnalyticsInvoicesTable> = {
  name: 'analytics_invoices',
  key: 'invoice_id',
  columns: {
    invoice_id: 'value',
    contract_id: 'value',
    total_cents: 'value',
    due_date: 'value',
    issued_at: 'value',
    overdue_at: 'value',
    paid_at: 'value',
    cancelled_at: 'value',
    refunded_at: 'value',
  },
};

const instant = (value: Date | string | null): string | null =>
  value instanceof Date ? value.toISOString() : value;

/** The intervals still open (in their status now) of the given services, by service. */
const openIntervals = async (
  trx: Trx,
  serviceIds: readonly string[],
): Promise<Map<string, NewServiceStatusIntervalRow>> => {
  if (serviceIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('service_status_intervals')
    .selectAll()
    .where('service_id', 'in', serviceIds)
    .where('to_at', 'is', null)
    .execute();
  return new Map(
    rows.map((row) => [
      row.service_id,
      { ...row, from_at: instant(row.from_at)!, to_at: instant(row.to_at) },
    ]),
  );
};

/**
 * The intervals a batch opens and closes, folded in event order: a status change closes the service's open
 * interval (one read before the batch or opened in it) at the change and opens the next one.
 */
const foldIntervals = (
  events: readonly RecordedEvent[],
  open: Map<string, NewServiceStatusIntervalRow>,
): NewServiceStatusIntervalRow[] => {
  const written = new Map<string, NewServiceStatusIntervalRow>();
  const write = (row: NewServiceStatusIntervalRow) =>
    written.set(`${row.from_revision} ${row.service_id}`, row);
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as ServiceEvent;
    if (event.type === 'ServiceOrdered') {
      const { data } = event;
      const opened: NewServiceStatusIntervalRow = {
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
      };
      open.set(data.serviceId, opened);
      write(opened);
      continue;
    }
    const change = statusChangeOf(event);
    if (!change) continue;
    const closed = open.get(change.serviceId);
    // An event for a service this read model never saw ordered has nothing to follow; history is not invented.
    if (!closed) continue;
    write({ ...closed, to_at: change.at });
    const opened: NewServiceStatusIntervalRow = {
      service_id: change.serviceId,
      from_revision: recorded.revision,
      contract_id: closed.contract_id,
      kind: closed.kind,
      status: change.status,
      reason: change.reason,
      invoice_id: change.invoiceId,
      previous_status: closed.status,
      from_at: change.at,
      to_at: null,
    };
    open.set(change.serviceId, opened);
    write(opened);
  }
  return [...written.values()];
};

const invoiceStepOf = (recorded: RecordedEvent): RowStep<AnalyticsInvoicesTable> | undefined => {
  const event = { type: recorded.type, data: recorded.data } as InvoiceEvent;
  if (event.type === 'InvoiceIssued') {
    const { data } = event;
    return {
      key: data.invoiceId,
      creates: {
        invoice_id: data.invoiceId,
        contract_id: data.contractId,
        total_cents: data.totalCents,
        due_date: data.dueDate,
        issued_at: data.issuedAt,
        overdue_at: null,
        paid_at: null,
        cancelled_at: null,
        refunded_at: null,
      },
    };
  }
  const change = invoiceChangeOf(event);
  return change && { key: event.data.invoiceId, changes: () => change };
};

const isInvoiceEvent = (recorded: RecordedEvent) => recorded.type.startsWith('Invoice');

const applyAll = async (trx: Trx, events: readonly RecordedEvent[]): Promise<void> => {
  const serviceEvents = events.filter((recorded) => !isInvoiceEvent(recorded));
  const changed = serviceEvents
    .filter((recorded) => recorded.type !== 'ServiceOrdered')
    .map((recorded) => (recorded.data as ServiceEvent['data']).serviceId);
  const open = await openIntervals(trx, [...new Set(changed)]);
  const writer = trx as unknown as Transaction<unknown>;
  await upsertRows(writer, INTERVALS, ['service_id', 'from_revision'], foldIntervals(serviceEvents, open));
  await foldIntoTable(
    writer,
    ANALYTICS_INVOICES,
    events
      .filter(isInvoiceEvent)
      .map(invoiceStepOf)
      .filter((step) => step !== undefined),
  );
};

/**
 * Status timelines of every service (one row per interval in a status, with its reason) and the instants each
 * invoice was issued, became overdue, was paid, cancelled or refunded: what the analysts' queries read.
 */
export const serviceStatusTimelineProjection: Projection<ServiceStatusTimelineDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  tables: ['service_status_intervals', 'analytics_invoices'],
  apply: applyNewEvents(NAME, applyAll),
};

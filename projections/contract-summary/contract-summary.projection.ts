import { sql, type Transaction } from 'kysely';
import type { ContractEvent, InstanceEvent, InvoiceEvent, ServiceEvent, TicketEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { claimEvents, type Projection } from '@app/projection-runner';
import { inChunks, KeyedRows } from '../shared/keyed-rows';
import type {
  ContractSummaryDatabase,
  NewContractSummaryRow,
  SummaryIncidentsTable,
  SummaryInvoicesTable,
  SummaryServicesTable,
  SummaryTicketsTable,
} from './contract-summary.table';

const NAME = 'contract-summary';

const HANDLED = [
  'ContractOpened',
  'ServiceOrdered',
  'ServiceProvisioned',
  'ServiceActivated',
  'ServiceSuspended',
  'ServiceReactivated',
  'ServiceCancelled',
  'ServiceTerminated',
  'InvoiceIssued',
  'InvoiceMarkedOverdue',
  'InvoicePaid',
  'InvoiceCancelled',
  'TicketOpened',
  'TicketReopened',
  'TicketClosed',
  'IncidentOpened',
  'IncidentResolved',
] as const satisfies readonly (
  ContractEvent | ServiceEvent | InvoiceEvent | TicketEvent | InstanceEvent
)['type'][];

type SummaryEvent = ContractEvent | ServiceEvent | InvoiceEvent | TicketEvent | InstanceEvent;
type Trx = Transaction<ContractSummaryDatabase>;

/** Cancelled and terminated services are off their servers: incidents there no longer concern their contract. */
const GONE: readonly SummaryServicesTable['status'][] = ['cancelled', 'terminated'];

/** The figures of a summary counted together: each group from one of the summary's maps. */
type Figures = 'services' | 'invoices' | 'tickets' | 'alerts';

const STATUS_OF: Partial<Record<SummaryEvent['type'], SummaryServicesTable['status']>> = {
  ServiceActivated: 'active',
  ServiceReactivated: 'active',
  ServiceSuspended: 'suspended',
  ServiceCancelled: 'cancelled',
  ServiceTerminated: 'terminated',
};

/** The batch's maps in memory, loaded for the keys its events name, and which figures of which contract to count. */
class SummaryFold {
  readonly opened: NewContractSummaryRow[] = [];
  readonly services = new KeyedRows<SummaryServicesTable>((row) => row.service_id);
  readonly invoices = new KeyedRows<SummaryInvoicesTable>((row) => row.invoice_id);
  readonly tickets = new KeyedRows<SummaryTicketsTable>((row) => row.ticket_id);
  readonly incidents = new KeyedRows<SummaryIncidentsTable>((row) => row.incident_id);
  /** Per figure, the contracts whose summary to count again. */
  readonly recount = new Map<Figures, Set<string>>([
    ['services', new Set()],
    ['invoices', new Set()],
    ['tickets', new Set()],
    ['alerts', new Set()],
  ]);
  /** Instances whose open incidents changed: every contract with a service there has its alerts counted again. */
  readonly incidentInstances = new Set<string>();

  private count(figures: Figures, contractId: string) {
    this.recount.get(figures)!.add(contractId);
  }

  apply(event: SummaryEvent): void {
    switch (event.type) {
      case 'ContractOpened':
        this.opened.push({
          contract_id: event.data.contractId,
          holder_name: event.data.holderName,
          services_pending: 0,
          services_active: 0,
          services_suspended: 0,
          services_cancelled: 0,
          services_terminated: 0,
          open_invoices_count: 0,
          overdue_invoices_count: 0,
          open_invoices_total_cents: 0,
          next_invoice_due_date: null,
          open_tickets_count: 0,
          active_alerts_count: 0,
        });
        // A count asked for before the summary existed found no row to write: the new one starts at zero.
        for (const contracts of this.recount.values()) contracts.delete(event.data.contractId);
        return;
      case 'ServiceOrdered':
        this.services.put({
          service_id: event.data.serviceId,
          contract_id: event.data.contractId,
          status: 'pending',
          instance_id: null,
        });
        return this.count('services', event.data.contractId);
      case 'ServiceProvisioned': {
        const { instanceId } = event.data;
        const service = this.services.update(event.data.serviceId, (row) => ({
          ...row,
          instance_id: instanceId,
        }));
        if (service) this.count('alerts', service.contract_id);
        return;
      }
      case 'ServiceActivated':
      case 'ServiceReactivated':
      case 'ServiceSuspended':
      case 'ServiceCancelled':
      case 'ServiceTerminated': {
        const status = STATUS_OF[event.type]!;
        const service = this.services.update(event.data.serviceId, (row) => ({ ...row, status }));
        if (!service) return;
        this.count('services', service.contract_id);
        return this.count('alerts', service.contract_id);
      }
      case 'InvoiceIssued': {
        const { invoiceId, contractId, totalCents, dueDate } = event.data;
        this.invoices.put({
          invoice_id: invoiceId,
          contract_id: contractId,
          status: 'open',
          total_cents: totalCents,
          due_date: dueDate,
        });
        return this.count('invoices', contractId);
      }
      case 'InvoiceMarkedOverdue': {
        const invoice = this.invoices.update(event.data.invoiceId, (row) => ({ ...row, status: 'overdue' }));
        if (invoice) this.count('invoices', invoice.contract_id);
        return;
      }
      case 'InvoicePaid':
      case 'InvoiceCancelled': {
        const invoice = this.invoices.remove(event.data.invoiceId);
        if (invoice) this.count('invoices', invoice.contract_id);
        return;
      }
      case 'TicketOpened':
      case 'TicketReopened':
        // A ticket already open keeps the row it has.
        if (!this.tickets.get(event.data.ticketId))
          this.tickets.put({ ticket_id: event.data.ticketId, contract_id: event.data.contractId });
        return this.count('tickets', event.data.contractId);
      case 'TicketClosed':
        this.tickets.remove(event.data.ticketId);
        return this.count('tickets', event.data.contractId);
      case 'IncidentOpened':
        this.incidents.put({ incident_id: event.data.incidentId, instance_id: event.data.instanceId });
        this.incidentInstances.add(event.data.instanceId);
        return;
      case 'IncidentResolved':
        this.incidents.remove(event.data.incidentId);
        this.incidentInstances.add(event.data.instanceId);
        return;
      default:
        return;
    }
  }
}

const idsOf = (events: readonly SummaryEvent[], prefix: string, field: string): string[] => [
  ...new Set(
    events
      .filter((event) => event.type.startsWith(prefix))
      .map((event) => (event.data as Record<string, string>)[field]!),
  ),
];

/** The rows of the summary's maps the batch's events name, as the database holds them before the batch. */
const load = async (trx: Trx, events: readonly SummaryEvent[]): Promise<SummaryFold> => {
  const fold = new SummaryFold();
  const serviceIds = idsOf(events, 'Service', 'serviceId');
  const invoiceIds = idsOf(events, 'Invoice', 'invoiceId');
  const ticketIds = idsOf(events, 'Ticket', 'ticketId');
  const incidentIds = idsOf(events, 'Incident', 'incidentId');
  if (serviceIds.length > 0)
    fold.services.load(
      await trx.selectFrom('summary_services').selectAll().where('service_id', 'in', serviceIds).execute(),
    );
  if (invoiceIds.length > 0)
    fold.invoices.load(
      await trx.selectFrom('summary_invoices').selectAll().where('invoice_id', 'in', invoiceIds).execute(),
    );
  if (ticketIds.length > 0)
    fold.tickets.load(
      await trx.selectFrom('summary_tickets').selectAll().where('ticket_id', 'in', ticketIds).execute(),
    );
  if (incidentIds.length > 0)
    fold.incidents.load(
      await trx.selectFrom('summary_incidents').selectAll().where('incident_id', 'in', incidentIds).execute(),
    );
  return fold;
};

/** Any table, for the one writer of the four maps: each map's rows are its table's rows. */
type AnyTable = Record<string, Record<string, unknown>>;

/** One delete and one upsert for a map's changed rows. */
const writeMap = async <Row extends object>(
  trx: Trx,
  table: keyof ContractSummaryDatabase & string,
  key: keyof Row & string,
  rows: KeyedRows<Row>,
): Promise<void> => {
  const { upserts, deletes } = rows.writes();
  const untyped = trx as unknown as Transaction<AnyTable>;
  if (deletes.length > 0)
    await sql`delete from ${sql.table(table)} where ${sql.ref(key)} = any(${sql.val(
      deletes.map((row) => String(row[key])),
    )}::text[])`.execute(trx);
  const columns = upserts.length > 0 ? Object.keys(upserts[0]!).filter((column) => column !== key) : [];
  await inChunks(upserts, (chunk) =>
    untyped
      .insertInto(table)
      .values(chunk as unknown as Record<string, unknown>[])
      .onConflict((oc) =>
        oc
          .column(key)
          .doUpdateSet(Object.fromEntries(columns.map((column) => [column, sql.ref(`excluded.${column}`)]))),
      )
      .execute(),
  );
};

/**
 * Counts the figures again, from the maps as the batch leaves them, for each contract a figure changed for: one
 * statement per group of figures and batch, whatever the number of contracts. Counting again rather than moving
 * a figure by one keeps it from drifting.
 */
const recount = async (trx: Trx, fold: SummaryFold): Promise<void> => {
  const contracts = (figures: Figures) => [...fold.recount.get(figures)!];
  const services = contracts('services');
  if (services.length > 0)
    await sql`
      update contract_summaries c set
        services_pending = n.pending, services_active = n.active, services_suspended = n.suspended,
        services_cancelled = n.cancelled, services_terminated = n.terminated
      from (
        select k.contract_id,
          count(*) filter (where s.status = 'pending')::int as pending,
          count(*) filter (where s.status = 'active')::int as active,
          count(*) filter (where s.status = 'suspended')::int as suspended,
          count(*) filter (where s.status = 'cancelled')::int as cancelled,
          count(*) filter (where s.status = 'terminated')::int as terminated
        from unnest(${sql.val(services)}::text[]) k(contract_id)
        left join summary_services s on s.contract_id = k.contract_id
        group by k.contract_id
      ) n
      where c.contract_id = n.contract_id`.execute(trx);
  const invoices = contracts('invoices');
  if (invoices.length > 0)
    await sql`
      update contract_summaries c set
        open_invoices_count = n.unpaid, overdue_invoices_count = n.overdue,
        open_invoices_total_cents = n.total, next_invoice_due_date = n.due
      from (
        select k.contract_id,
          count(i.invoice_id)::int as unpaid,
          count(*) filter (where i.status = 'overdue')::int as overdue,
          coalesce(sum(i.total_cents), 0) as total,
          min(i.due_date) as due
        from unnest(${sql.val(invoices)}::text[]) k(contract_id)
        left join summary_invoices i on i.contract_id = k.contract_id
        group by k.contract_id
      ) n
      where c.contract_id = n.contract_id`.execute(trx);
  const tickets = contracts('tickets');
  if (tickets.length > 0)
    await sql`
      update contract_summaries c set open_tickets_count = n.open
      from (
        select k.contract_id, count(t.ticket_id)::int as open
        from unnest(${sql.val(tickets)}::text[]) k(contract_id)
        left join summary_tickets t on t.contract_id = k.contract_id
        group by k.contract_id
      ) n
      where c.contract_id = n.contract_id`.execute(trx);
  const alerts = contracts('alerts');
  const instances = [...fold.incidentInstances];
  if (alerts.length > 0 || instances.length > 0)
    await sql`
      with touched as (
        select contract_id from unnest(${sql.val(alerts)}::text[]) k(contract_id)
        union
        select contract_id from summary_services where instance_id = any(${sql.val(instances)}::text[])
      )
      update contract_summaries c set active_alerts_count = n.alerts
      from (
        select k.contract_id, count(distinct i.incident_id)::int as alerts
        from touched k
        left join summary_services s
          on s.contract_id = k.contract_id and s.status not in (${sql.join(GONE.map((status) => sql.lit(status)))})
        left join summary_incidents i on i.instance_id = s.instance_id
        group by k.contract_id
      ) n
      where c.contract_id = n.contract_id`.execute(trx);
};

/**
 * Applies a batch set-wise: its new events claimed at once, the map rows they name loaded in one query per table
 * and folded in memory in log order, the maps written back in one upsert and one delete each, then each changed
 * figure counted again once per contract.
 */
const apply = async (batch: readonly RecordedEvent[], trx: Trx): Promise<void> => {
  const fresh = await claimEvents(trx as unknown as Transaction<unknown>, NAME, batch);
  if (fresh.length === 0) return;
  const events = fresh.map((recorded) => ({ type: recorded.type, data: recorded.data }) as SummaryEvent);
  const fold = await load(trx, events);
  for (const event of events) fold.apply(event);
  await inChunks(fold.opened, (rows) =>
    trx
      .insertInto('contract_summaries')
      .values([...rows])
      .execute(),
  );
  await writeMap(trx, 'summary_services', 'service_id', fold.services);
  await writeMap(trx, 'summary_invoices', 'invoice_id', fold.invoices);
  await writeMap(trx, 'summary_tickets', 'ticket_id', fold.tickets);
  await writeMap(trx, 'summary_incidents', 'incident_id', fold.incidents);
  await recount(trx, fold);
};

/**
 * Per contract, the home page's figures: services by status, unpaid invoices and their total, open tickets and
 * active alerts, from events alone (its own maps of services, unpaid invoices, open tickets and open incidents).
 */
export const contractSummaryProjection: Projection<ContractSummaryDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  tables: [
    'contract_summaries',
    'summary_services',
    'summary_invoices',
    'summary_tickets',
    'summary_incidents',
  ],
  apply,
};

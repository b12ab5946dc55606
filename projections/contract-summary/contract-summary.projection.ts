import { sql, type Compilable, type Transaction } from 'kysely';
import type { ContractEvent, InstanceEvent, InvoiceEvent, ServiceEvent, TicketEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyNewEvents, type Projection } from '@app/projection-runner';
import { chunksOf, executeTogether, KeyedRows } from '../shared/keyed-rows';
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
  // One round trip for the four maps: each row comes back as jsonb, which keeps every column's type here.
  const { rows } = await sql<{ map: 'services' | 'invoices' | 'tickets' | 'incidents'; row: never }>`
    select 'services' as map, to_jsonb(s) as row from summary_services s
    where s.service_id = any(${sql.val(serviceIds)}::text[])
    union all
    select 'invoices', to_jsonb(i) from summary_invoices i where i.invoice_id = any(${sql.val(invoiceIds)}::text[])
    union all
    select 'tickets', to_jsonb(t) from summary_tickets t where t.ticket_id = any(${sql.val(ticketIds)}::text[])
    union all
    select 'incidents', to_jsonb(n) from summary_incidents n
    where n.incident_id = any(${sql.val(incidentIds)}::text[])`.execute(trx);
  for (const { map, row } of rows) fold[map].load([row]);
  return fold;
};

/** Any table, for the one writer of the four maps: each map's rows are its table's rows. */
type AnyTable = Record<string, Record<string, unknown>>;

/** A map's changed rows: their deletes and upserts, each to rows of its own. */
const mapWrites = <Row extends object>(
  trx: Trx,
  table: keyof ContractSummaryDatabase,
  key: keyof Row & string,
  rows: KeyedRows<Row>,
): Compilable[] => {
  const { upserts, deletes } = rows.writes();
  const untyped = trx as unknown as Transaction<AnyTable>;
  const columns = upserts.length > 0 ? Object.keys(upserts[0]!).filter((column) => column !== key) : [];
  return [
    ...chunksOf(deletes).map((chunk) =>
      untyped
        .deleteFrom(table)
        .where(sql<boolean>`${sql.ref(key)} = any(${sql.val(chunk.map((row) => String(row[key])))}::text[])`),
    ),
    ...chunksOf(upserts).map((chunk) =>
      untyped
        .insertInto(table)
        .values(chunk as unknown as Record<string, unknown>[])
        .onConflict((oc) =>
          oc
            .column(key)
            .doUpdateSet(
              Object.fromEntries(columns.map((column) => [column, sql.ref(`excluded.${column}`)])),
            ),
        ),
    ),
  ];
};

/**
 * Counts the figures again, from the maps as the batch leaves them, for each contract a figure changed for: one
 * statement per batch, whatever the number of contracts, each group of figures counted only for the contracts it
 * changed for (the others keep theirs). Counting again rather than moving a figure by one keeps it from drifting.
 */
const recount = async (trx: Trx, fold: SummaryFold): Promise<void> => {
  const contracts = [...new Set([...fold.recount.values()].flatMap((touched) => [...touched]))];
  const instances = [...fold.incidentInstances];
  if (contracts.length === 0 && instances.length === 0) return;
  const flags = (figures: Figures) => {
    const touched = fold.recount.get(figures)!;
    return sql.val(contracts.map((contractId) => touched.has(contractId)));
  };
  await sql`
    with asked as (
      select k.contract_id, bool_or(k.services) as services, bool_or(k.invoices) as invoices,
        bool_or(k.tickets) as tickets, bool_or(k.alerts) as alerts
      from (
        select * from unnest(${sql.val(contracts)}::text[], ${flags('services')}::boolean[],
          ${flags('invoices')}::boolean[], ${flags('tickets')}::boolean[], ${flags('alerts')}::boolean[])
          as u(contract_id, services, invoices, tickets, alerts)
        union all
        select contract_id, false, false, false, true from summary_services
        where instance_id = any(${sql.val(instances)}::text[])
      ) k
      group by k.contract_id
    )
    update contract_summaries c set
      services_pending = case when t.services then s.pending else c.services_pending end,
      services_active = case when t.services then s.active else c.services_active end,
      services_suspended = case when t.services then s.suspended else c.services_suspended end,
      services_cancelled = case when t.services then s.cancelled else c.services_cancelled end,
      services_terminated = case when t.services then s.terminated else c.services_terminated end,
      open_invoices_count = case when t.invoices then i.unpaid else c.open_invoices_count end,
      overdue_invoices_count = case when t.invoices then i.overdue else c.overdue_invoices_count end,
      open_invoices_total_cents = case when t.invoices then i.total else c.open_invoices_total_cents end,
      next_invoice_due_date = case when t.invoices then i.due else c.next_invoice_due_date end,
      open_tickets_count = case when t.tickets then k.open else c.open_tickets_count end,
      active_alerts_count = case when t.alerts then a.alerts else c.active_alerts_count end
    from asked t
    cross join lateral (
      select
        count(*) filter (where status = 'pending')::int as pending,
        count(*) filter (where status = 'active')::int as active,
        count(*) filter (where status = 'suspended')::int as suspended,
        count(*) filter (where status = 'cancelled')::int as cancelled,
        count(*) filter (where status = 'terminated')::int as terminated
      from summary_services where t.services and contract_id = t.contract_id
    ) s
    cross join lateral (
      select count(*)::int as unpaid, count(*) filter (where status = 'overdue')::int as overdue,
        coalesce(sum(total_cents), 0) as total, min(due_date) as due
      from summary_invoices where t.invoices and contract_id = t.contract_id
    ) i
    cross join lateral (
      select count(*)::int as open from summary_tickets where t.tickets and contract_id = t.contract_id
    ) k
    cross join lateral (
      select count(distinct n.incident_id)::int as alerts
      from summary_services v join summary_incidents n on n.instance_id = v.instance_id
      where t.alerts and v.contract_id = t.contract_id
        and v.status not in (${sql.join(GONE.map((status) => sql.lit(status)))})
    ) a
    where c.contract_id = t.contract_id`.execute(trx);
};

/**
 * Applies a batch set-wise: its new events claimed at once, the map rows they name loaded in one query per table
 * and folded in memory in log order, the maps written back in one statement (an upsert and a delete each), then
 * each changed figure counted again once per contract, in one statement too.
 */
const applyClaimed = async (trx: Trx, fresh: readonly RecordedEvent[]): Promise<void> => {
  const events = fresh.map((recorded) => ({ type: recorded.type, data: recorded.data }) as SummaryEvent);
  const fold = await load(trx, events);
  for (const event of events) fold.apply(event);
  await executeTogether(trx as unknown as Transaction<unknown>, [
    ...chunksOf(fold.opened).map((rows) => trx.insertInto('contract_summaries').values(rows)),
    ...mapWrites(trx, 'summary_services', 'service_id', fold.services),
    ...mapWrites(trx, 'summary_invoices', 'invoice_id', fold.invoices),
    ...mapWrites(trx, 'summary_tickets', 'ticket_id', fold.tickets),
    ...mapWrites(trx, 'summary_incidents', 'incident_id', fold.incidents),
  ]);
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
  apply: applyNewEvents(NAME, applyClaimed),
};

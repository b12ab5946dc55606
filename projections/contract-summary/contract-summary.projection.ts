import type { Transaction } from 'kysely';
import type { ContractEvent, InstanceEvent, InvoiceEvent, ServiceEvent, TicketEvent } from '@app/domain';
import { applyEachNewEvent, type Projection } from '@app/projection-runner';
import type { ContractSummaryDatabase, SummaryServicesTable } from './contract-summary.table';

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

// Each figure is counted again from the summary's own maps rather than moved by one, so it cannot drift.

const refreshServices = async (trx: Trx, contractId: string) => {
  await trx
    .updateTable('contract_summaries')
    .set((eb) => {
      const count = (status: SummaryServicesTable['status']) =>
        eb
          .selectFrom('summary_services')
          .select(eb.fn.countAll<number>().as('n'))
          .where('contract_id', '=', contractId)
          .where('status', '=', status);
      return {
        services_pending: count('pending'),
        services_active: count('active'),
        services_suspended: count('suspended'),
        services_cancelled: count('cancelled'),
        services_terminated: count('terminated'),
      };
    })
    .where('contract_id', '=', contractId)
    .execute();
};

const refreshInvoices = async (trx: Trx, contractId: string) => {
  await trx
    .updateTable('contract_summaries')
    .set((eb) => {
      const unpaid = () => eb.selectFrom('summary_invoices').where('contract_id', '=', contractId);
      return {
        open_invoices_count: unpaid().select(eb.fn.countAll<number>().as('n')),
        overdue_invoices_count: unpaid()
          .select(eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'overdue'),
        open_invoices_total_cents: unpaid().select((sub) =>
          sub.fn.coalesce(sub.fn.sum<number>('total_cents'), sub.lit(0)).as('n'),
        ),
        next_invoice_due_date: unpaid().select((sub) => sub.fn.min('due_date').as('d')),
      };
    })
    .where('contract_id', '=', contractId)
    .execute();
};

const refreshTickets = async (trx: Trx, contractId: string) => {
  await trx
    .updateTable('contract_summaries')
    .set((eb) => ({
      open_tickets_count: eb
        .selectFrom('summary_tickets')
        .select(eb.fn.countAll<number>().as('n'))
        .where('contract_id', '=', contractId),
    }))
    .where('contract_id', '=', contractId)
    .execute();
};

/** Recounts the alerts of one contract, or of every contract with a service on an instance. */
const refreshAlerts = async (trx: Trx, of: Readonly<{ contractId: string } | { instanceId: string }>) => {
  await trx
    .updateTable('contract_summaries as c')
    .set((eb) => ({
      active_alerts_count: eb
        .selectFrom('summary_incidents as i')
        .innerJoin('summary_services as s', 's.instance_id', 'i.instance_id')
        .select((sub) => sub.fn.count<number>('i.incident_id').distinct().as('n'))
        .whereRef('s.contract_id', '=', 'c.contract_id')
        .where('s.status', 'not in', GONE),
    }))
    .where((eb) =>
      'contractId' in of
        ? eb('c.contract_id', '=', of.contractId)
        : eb(
            'c.contract_id',
            'in',
            eb.selectFrom('summary_services').select('contract_id').where('instance_id', '=', of.instanceId),
          ),
    )
    .execute();
};

const setServiceStatus = async (trx: Trx, serviceId: string, status: SummaryServicesTable['status']) => {
  const service = await trx
    .updateTable('summary_services')
    .set({ status })
    .where('service_id', '=', serviceId)
    .returning('contract_id')
    .executeTakeFirst();
  if (!service) return;
  await refreshServices(trx, service.contract_id);
  await refreshAlerts(trx, { contractId: service.contract_id });
};

const applyOne = async (trx: Trx, event: SummaryEvent): Promise<void> => {
  switch (event.type) {
    case 'ContractOpened':
      await trx
        .insertInto('contract_summaries')
        .values({
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
        })
        .execute();
      return;
    case 'ServiceOrdered':
      await trx
        .insertInto('summary_services')
        .values({
          service_id: event.data.serviceId,
          contract_id: event.data.contractId,
          status: 'pending',
          instance_id: null,
        })
        .execute();
      return refreshServices(trx, event.data.contractId);
    case 'ServiceProvisioned': {
      const service = await trx
        .updateTable('summary_services')
        .set({ instance_id: event.data.instanceId })
        .where('service_id', '=', event.data.serviceId)
        .returning('contract_id')
        .executeTakeFirst();
      if (service) await refreshAlerts(trx, { contractId: service.contract_id });
      return;
    }
    case 'ServiceActivated':
    case 'ServiceReactivated':
      return setServiceStatus(trx, event.data.serviceId, 'active');
    case 'ServiceSuspended':
      return setServiceStatus(trx, event.data.serviceId, 'suspended');
    case 'ServiceCancelled':
      return setServiceStatus(trx, event.data.serviceId, 'cancelled');
    case 'ServiceTerminated':
      return setServiceStatus(trx, event.data.serviceId, 'terminated');
    case 'InvoiceIssued': {
      const { invoiceId, contractId, totalCents, dueDate } = event.data;
      await trx
        .insertInto('summary_invoices')
        .values({
          invoice_id: invoiceId,
          contract_id: contractId,
          status: 'open',
          total_cents: totalCents,
          due_date: dueDate,
        })
        .execute();
      return refreshInvoices(trx, contractId);
    }
    case 'InvoiceMarkedOverdue': {
      const invoice = await trx
        .updateTable('summary_invoices')
        .set({ status: 'overdue' })
        .where('invoice_id', '=', event.data.invoiceId)
        .returning('contract_id')
        .executeTakeFirst();
      if (invoice) await refreshInvoices(trx, invoice.contract_id);
      return;
    }
    case 'InvoicePaid':
    case 'InvoiceCancelled': {
      const invoice = await trx
        .deleteFrom('summary_invoices')
        .where('invoice_id', '=', event.data.invoiceId)
        .returning('contract_id')
        .executeTakeFirst();
      if (invoice) await refreshInvoices(trx, invoice.contract_id);
      return;
    }
    case 'TicketOpened':
    case 'TicketReopened':
      await trx
        .insertInto('summary_tickets')
        .values({ ticket_id: event.data.ticketId, contract_id: event.data.contractId })
        .onConflict((oc) => oc.column('ticket_id').doNothing())
        .execute();
      return refreshTickets(trx, event.data.contractId);
    case 'TicketClosed':
      await trx.deleteFrom('summary_tickets').where('ticket_id', '=', event.data.ticketId).execute();
      return refreshTickets(trx, event.data.contractId);
    case 'IncidentOpened':
      await trx
        .insertInto('summary_incidents')
        .values({ incident_id: event.data.incidentId, instance_id: event.data.instanceId })
        .execute();
      return refreshAlerts(trx, { instanceId: event.data.instanceId });
    case 'IncidentResolved':
      await trx.deleteFrom('summary_incidents').where('incident_id', '=', event.data.incidentId).execute();
      return refreshAlerts(trx, { instanceId: event.data.instanceId });
    default:
      return;
  }
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
  apply: applyEachNewEvent(NAME, (trx, recorded) =>
    applyOne(trx, { type: recorded.type, data: recorded.data } as SummaryEvent),
  ),
};

import type { Transaction } from 'kysely';
import type { ServiceEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyNewEvents, type Projection } from '@app/projection-runner';
import { foldIntoTable, type FoldedTable, type RowStep } from '../shared';
import type { NewServiceRow, ServiceRowUpdate, ServicesDatabase } from './services.table';

const NAME = 'services';

const HANDLED = [
  'ServiceOrdered',
  'ServiceProvisioned',
  'ServiceInvoicePaid',
  'ServiceActivated',
  'ServiceSuspended',
  'ServiceReactivated',
  'ServiceCancelled',
  'ServiceTerminated',
  'ServicePaymentMethodChanged',
] as const satisfies readonly ServiceEvent['type'][];

/** What an event changes on its service's row; ServiceOrdered creates the row instead. */
const changeOf = (event: ServiceEvent): ServiceRowUpdate | undefined => {
  switch (event.type) {
    case 'ServiceProvisioned':
      return { instance_id: event.data.instanceId };
    case 'ServiceInvoicePaid':
      return { next_due_date: event.data.nextDueDate };
    case 'ServiceActivated':
      return { status: 'active' };
    case 'ServiceSuspended':
      return { status: 'suspended', suspension_reason: event.data.reason };
    case 'ServiceReactivated':
      return { status: 'active', suspension_reason: null };
    case 'ServiceCancelled':
      return { status: 'cancelled' };
    case 'ServiceTerminated':
      return { status: 'terminated' };
    case 'ServicePaymentMethodChanged':
      return {
        payment_method: event.data.paymentMethod === null ? null : JSON.stringify(event.data.paymentMethod),
      };
    default:
      return undefined;
  }
};

const SERVICES: FoldedTable<NewServiceRow> = {
  name: 'services',
  key: 'service_id',
  columns: {
    service_id: 'value',
    contract_id: 'value',
    kind: 'value',
    plan: 'value',
    billing_cycle: 'value',
    price_cents: 'value',
    parent_service_id: 'value',
    status: 'value',
    next_due_date: 'value',
    payment_method: 'json',
    instance_id: 'value',
    suspension_reason: 'value',
    ordered_at: 'value',
    revision: 'value',
  },
};

const stepOf = (recorded: RecordedEvent): RowStep<NewServiceRow> | undefined => {
  const event = { type: recorded.type, data: recorded.data } as ServiceEvent;
  const key = event.data.serviceId;
  if (event.type === 'ServiceOrdered') {
    const { data } = event;
    return {
      key,
      creates: {
        service_id: data.serviceId,
        contract_id: data.contractId,
        kind: data.kind,
        plan: data.plan,
        billing_cycle: data.billingCycle,
        price_cents: data.priceCents,
        parent_service_id: data.parentServiceId,
        status: 'pending',
        next_due_date: data.firstDueDate,
        payment_method: data.paymentMethod === null ? null : JSON.stringify(data.paymentMethod),
        instance_id: null,
        suspension_reason: null,
        ordered_at: data.orderedAt,
        revision: recorded.revision,
      },
    };
  }
  const change = changeOf(event);
  if (!change) return undefined;
  return { key, changes: () => ({ ...change, revision: recorded.revision }) };
};

const applyAll = async (
  trx: Transaction<ServicesDatabase>,
  events: readonly RecordedEvent[],
): Promise<void> =>
  foldIntoTable(
    trx as unknown as Transaction<unknown>,
    SERVICES,
    events.map(stepOf).filter((step) => step !== undefined),
  );

/** The services of every contract, with status, next due date, payment method, instance and suspension reason. */
export const servicesProjection: Projection<ServicesDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  tables: ['services'],
  apply: applyNewEvents(NAME, applyAll),
};

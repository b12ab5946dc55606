import type { Transaction } from 'kysely';
import type { ServiceEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyEachNewEvent, type Projection } from '@app/projection-runner';
import type { ServiceRowUpdate, ServicesDatabase } from './services.table';

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

const applyOne = async (trx: Transaction<ServicesDatabase>, recorded: RecordedEvent): Promise<void> => {
  const event = { type: recorded.type, data: recorded.data } as ServiceEvent;
  if (event.type === 'ServiceOrdered') {
    const { data } = event;
    await trx
      .insertInto('services')
      .values({
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
      })
      .execute();
    return;
  }
  const change = changeOf(event);
  if (!change) return;
  await trx
    .updateTable('services')
    .set({ ...change, revision: recorded.revision })
    .where('service_id', '=', event.data.serviceId)
    .execute();
};

/** The services of every contract, with status, next due date, payment method, instance and suspension reason. */
export const servicesProjection: Projection<ServicesDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  tables: ['services'],
  apply: applyEachNewEvent(NAME, applyOne),
};

import type { Transaction } from 'kysely';
import type { InstanceEvent, ServiceEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyEachNewEvent, type Projection } from '@app/projection-runner';
import type { AlertsDatabase } from './alerts.table';

const NAME = 'alerts';

const HANDLED = [
  'ServiceOrdered',
  'ServiceProvisioned',
  'ServiceCancelled',
  'ServiceTerminated',
  'InstanceRegistered',
  'IncidentOpened',
  'IncidentUpdated',
  'IncidentResolved',
] as const satisfies readonly (ServiceEvent | InstanceEvent)['type'][];

const applyOne = async (
  trx: Transaction<AlertsDatabase>,
  recorded: RecordedEvent,
  event: ServiceEvent | InstanceEvent,
): Promise<void> => {
  switch (event.type) {
    case 'ServiceOrdered':
      await trx
        .insertInto('alert_services')
        .values({ service_id: event.data.serviceId, contract_id: event.data.contractId, instance_id: null })
        .execute();
      return;
    case 'ServiceProvisioned':
      await trx
        .updateTable('alert_services')
        .set({ instance_id: event.data.instanceId })
        .where('service_id', '=', event.data.serviceId)
        .execute();
      return;
    // Cancelled and terminated services are off their servers: their contract is no longer affected.
    case 'ServiceCancelled':
    case 'ServiceTerminated':
      await trx.deleteFrom('alert_services').where('service_id', '=', event.data.serviceId).execute();
      return;
    case 'InstanceRegistered':
      await trx
        .insertInto('alert_instances')
        .values({ instance_id: event.data.instanceId, name: event.data.name })
        .execute();
      return;
    case 'IncidentOpened': {
      const { incidentId, instanceId, title, impact, at } = event.data;
      await trx
        .insertInto('alert_incidents')
        .values({
          incident_id: incidentId,
          instance_id: instanceId,
          title,
          impact,
          opened_at: at,
          updated_at: at,
          latest_message: null,
          opened_position: recorded.position,
        })
        .execute();
      return;
    }
    case 'IncidentUpdated': {
      const { incidentId, title, impact, message, at } = event.data;
      await trx
        .updateTable('alert_incidents')
        .set({ title, impact, latest_message: message, updated_at: at })
        .where('incident_id', '=', incidentId)
        .execute();
      return;
    }
    case 'IncidentResolved':
      await trx.deleteFrom('alert_incidents').where('incident_id', '=', event.data.incidentId).execute();
      return;
    default:
      return;
  }
};

/** Per contract, the open incidents on the instances its live services run on: the portal's alerts. */
export const alertsProjection: Projection<AlertsDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  tables: ['alert_services', 'alert_instances', 'alert_incidents'],
  apply: applyEachNewEvent(NAME, (trx, recorded) =>
    applyOne(trx, recorded, { type: recorded.type, data: recorded.data } as ServiceEvent | InstanceEvent),
  ),
};

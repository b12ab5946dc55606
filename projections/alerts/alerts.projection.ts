import type { Compilable, Transaction } from 'kysely';
import type { InstanceEvent, ServiceEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyNewEvents, type Projection } from '@app/projection-runner';
import { chunksOf, executeTogether, instant, KeyedRows } from '../shared/keyed-rows';
import type { AlertIncidentRow, AlertServiceRow, AlertsDatabase } from './alerts.table';

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

type AlertEvent = ServiceEvent | InstanceEvent;
type Trx = Transaction<AlertsDatabase>;
/** An incident row as read back (instants as Dates) or folded from events (instants as ISO text). */
type IncidentRow = Omit<AlertIncidentRow, 'opened_at' | 'updated_at'> &
  Readonly<{ opened_at: Date | string; updated_at: Date | string }>;

/** The batch's rows in memory, each table loaded for the keys its events name. */
type Fold = Readonly<{
  services: KeyedRows<AlertServiceRow>;
  instances: Map<string, string>;
  incidents: KeyedRows<IncidentRow>;
}>;

const load = async (trx: Trx, events: readonly AlertEvent[]): Promise<Fold> => {
  const serviceIds = new Set<string>();
  const incidentIds = new Set<string>();
  for (const event of events) {
    if (event.type.startsWith('Service')) serviceIds.add((event.data as { serviceId: string }).serviceId);
    if (event.type.startsWith('Incident')) incidentIds.add((event.data as { incidentId: string }).incidentId);
  }
  const [services, incidents] = await Promise.all([
    serviceIds.size === 0
      ? []
      : trx
          .selectFrom('alert_services')
          .selectAll()
          .where('service_id', 'in', [...serviceIds])
          .execute(),
    incidentIds.size === 0
      ? []
      : trx
          .selectFrom('alert_incidents')
          .selectAll()
          .where('incident_id', 'in', [...incidentIds])
          .execute(),
  ]);
  return {
    services: new KeyedRows<AlertServiceRow>((row) => row.service_id).load(services),
    instances: new Map(),
    incidents: new KeyedRows<IncidentRow>((row) => row.incident_id).load(incidents),
  };
};

const fold = ({ services, instances, incidents }: Fold, recorded: RecordedEvent, event: AlertEvent): void => {
  switch (event.type) {
    case 'ServiceOrdered':
      services.put({
        service_id: event.data.serviceId,
        contract_id: event.data.contractId,
        instance_id: null,
      });
      return;
    case 'ServiceProvisioned':
      services.update(event.data.serviceId, (row) => ({ ...row, instance_id: event.data.instanceId }));
      return;
    // Cancelled and terminated services are off their servers: their contract is no longer affected.
    case 'ServiceCancelled':
    case 'ServiceTerminated':
      services.remove(event.data.serviceId);
      return;
    case 'InstanceRegistered':
      instances.set(event.data.instanceId, event.data.name);
      return;
    case 'IncidentOpened': {
      const { incidentId, instanceId, title, impact, at } = event.data;
      incidents.put({
        incident_id: incidentId,
        instance_id: instanceId,
        title,
        impact,
        opened_at: at,
        updated_at: at,
        latest_message: null,
        opened_position: recorded.position,
      });
      return;
    }
    case 'IncidentUpdated': {
      const { incidentId, title, impact, message, at } = event.data;
      incidents.update(incidentId, (row) => ({
        ...row,
        title,
        impact,
        latest_message: message,
        updated_at: at,
      }));
      return;
    }
    case 'IncidentResolved':
      incidents.remove(event.data.incidentId);
      return;
    default:
      return;
  }
};

/** The batch's writes, each to rows of its own: one delete and one upsert per table. */
const writes = (trx: Trx, { services, instances, incidents }: Fold): Compilable[] => {
  const serviceWrites = services.writes();
  const incidentWrites = incidents.writes();
  return [
    ...chunksOf(serviceWrites.deletes).map((rows) =>
      trx.deleteFrom('alert_services').where(
        'service_id',
        'in',
        rows.map((row) => row.service_id),
      ),
    ),
    ...chunksOf(serviceWrites.upserts).map((rows) =>
      trx
        .insertInto('alert_services')
        .values(rows)
        .onConflict((oc) =>
          oc.column('service_id').doUpdateSet((eb) => ({
            contract_id: eb.ref('excluded.contract_id'),
            instance_id: eb.ref('excluded.instance_id'),
          })),
        ),
    ),
    ...chunksOf([...instances]).map((rows) =>
      trx
        .insertInto('alert_instances')
        .values(rows.map(([instanceId, name]) => ({ instance_id: instanceId, name })))
        .onConflict((oc) =>
          oc.column('instance_id').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })),
        ),
    ),
    ...chunksOf(incidentWrites.deletes).map((rows) =>
      trx.deleteFrom('alert_incidents').where(
        'incident_id',
        'in',
        rows.map((row) => row.incident_id),
      ),
    ),
    ...chunksOf(incidentWrites.upserts).map((rows) =>
      trx
        .insertInto('alert_incidents')
        .values(
          rows.map((row) => ({
            ...row,
            opened_at: instant(row.opened_at),
            updated_at: instant(row.updated_at),
          })),
        )
        .onConflict((oc) =>
          oc.column('incident_id').doUpdateSet((eb) => ({
            instance_id: eb.ref('excluded.instance_id'),
            title: eb.ref('excluded.title'),
            impact: eb.ref('excluded.impact'),
            opened_at: eb.ref('excluded.opened_at'),
            updated_at: eb.ref('excluded.updated_at'),
            latest_message: eb.ref('excluded.latest_message'),
            opened_position: eb.ref('excluded.opened_position'),
          })),
        ),
    ),
  ];
};

/**
 * Applies a batch set-wise: its new events claimed at once, the rows they touch loaded in one query per table and
 * folded in memory in log order, then written back in one statement: an upsert and a delete per table.
 */
const applyClaimed = async (trx: Trx, fresh: readonly RecordedEvent[]): Promise<void> => {
  const events = fresh.map((recorded) => ({ type: recorded.type, data: recorded.data }) as AlertEvent);
  const rows = await load(trx, events);
  events.forEach((event, index) => fold(rows, fresh[index]!, event));
  await executeTogether(trx as unknown as Transaction<unknown>, writes(trx, rows));
};

/** Per contract, the open incidents on the instances its live services run on: the portal's alerts. */
export const alertsProjection: Projection<AlertsDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  tables: ['alert_services', 'alert_instances', 'alert_incidents'],
  apply: applyNewEvents(NAME, applyClaimed),
};

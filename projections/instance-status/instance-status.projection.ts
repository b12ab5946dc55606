import type { Transaction } from 'kysely';
import { instanceStatus, localDate, type IncidentImpact, type InstanceEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyNewEvents, type Projection } from '@app/projection-runner';
import { toJson } from '../shared';
import { chunksOf, executeTogether, instant, KeyedRows } from '../shared/keyed-rows';
import type {
  InstanceStatusDatabase,
  InstanceStatusRow,
  NewResolvedIncidentRow,
  StatusPageIncident,
} from './instance-status.table';

const NAME = 'instance-status';

const HANDLED = [
  'InstanceRegistered',
  'IncidentOpened',
  'IncidentUpdated',
  'IncidentResolved',
] as const satisfies readonly InstanceEvent['type'][];

type Trx = Transaction<InstanceStatusDatabase>;

/** An instance's row as read back (its instant a Date) or folded from events (ISO text). */
type InstanceRow = Omit<InstanceStatusRow, 'registered_at'> & Readonly<{ registered_at: Date | string }>;

const worse = (a: IncidentImpact, b: IncidentImpact): IncidentImpact =>
  a === 'outage' || b === 'outage' ? 'outage' : 'degraded';

const withOpenIncidents = (
  row: InstanceRow,
  recorded: RecordedEvent,
  openIncidents: readonly StatusPageIncident[],
): InstanceRow => ({
  ...row,
  open_incidents: openIncidents,
  status: instanceStatus({ openIncidents }),
  revision: recorded.revision,
});

/** Folds one event into the batch's instance rows, adding the incident it resolves, if any, to `resolved`. */
const fold = (
  instances: KeyedRows<InstanceRow>,
  resolved: NewResolvedIncidentRow[],
  recorded: RecordedEvent,
): void => {
  const event = { type: recorded.type, data: recorded.data } as InstanceEvent;
  if (event.type === 'InstanceRegistered') {
    const { data } = event;
    instances.put({
      instance_id: data.instanceId,
      name: data.name,
      kind: data.kind,
      datacenter: data.datacenter,
      status: 'operational',
      open_incidents: [],
      registered_at: data.at,
      revision: recorded.revision,
    });
    return;
  }
  if (!HANDLED.includes(event.type)) return;
  const instance = instances.get(event.data.instanceId);
  if (!instance) return;
  const open = instance.open_incidents;
  switch (event.type) {
    case 'IncidentOpened': {
      const { incidentId, title, impact, at } = event.data;
      const incident: StatusPageIncident = {
        incidentId,
        title,
        impact,
        worstImpact: impact,
        openedAt: at,
        updates: [],
      };
      instances.put(withOpenIncidents(instance, recorded, [...open, incident]));
      return;
    }
    case 'IncidentUpdated': {
      const { incidentId, title, message, impact, at } = event.data;
      const updated = open.map((incident) =>
        incident.incidentId === incidentId
          ? {
              ...incident,
              title,
              impact,
              worstImpact: worse(incident.worstImpact, impact),
              updates: [...incident.updates, { message, impact, at }],
            }
          : incident,
      );
      instances.put(withOpenIncidents(instance, recorded, updated));
      return;
    }
    case 'IncidentResolved': {
      const { instanceId, incidentId, at } = event.data;
      const incident = open.find((candidate) => candidate.incidentId === incidentId);
      if (!incident) return;
      resolved.push({
        incident_id: incidentId,
        instance_id: instanceId,
        instance_name: instance.name,
        title: incident.title,
        impact: incident.impact,
        worst_impact: incident.worstImpact,
        opened_at: incident.openedAt,
        opened_on: localDate(incident.openedAt),
        resolved_at: at,
        resolved_on: localDate(at),
        updates: toJson(incident.updates),
        resolved_position: recorded.position,
      });
      instances.put(
        withOpenIncidents(
          instance,
          recorded,
          open.filter((candidate) => candidate !== incident),
        ),
      );
      return;
    }
    default:
      return;
  }
};

/**
 * Applies a batch set-wise: its new events claimed at once, the instances they name loaded in one query and
 * folded in memory in log order, then one statement upserts the instances and inserts the incidents resolved.
 */
const applyClaimed = async (trx: Trx, fresh: readonly RecordedEvent[]): Promise<void> => {
  const instanceIds = [...new Set(fresh.map((event) => (event.data as { instanceId: string }).instanceId))];
  const loaded = await trx
    .selectFrom('instance_status')
    .selectAll()
    .where('instance_id', 'in', instanceIds)
    .execute();
  const instances = new KeyedRows<InstanceRow>((row) => row.instance_id).load(loaded);
  const resolved: NewResolvedIncidentRow[] = [];
  for (const recorded of fresh) fold(instances, resolved, recorded);
  await executeTogether(trx as unknown as Transaction<unknown>, [
    ...chunksOf(instances.writes().upserts).map((rows) =>
      trx
        .insertInto('instance_status')
        .values(
          rows.map((row) => ({
            ...row,
            open_incidents: toJson(row.open_incidents),
            registered_at: instant(row.registered_at),
          })),
        )
        .onConflict((oc) =>
          oc.column('instance_id').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            kind: eb.ref('excluded.kind'),
            datacenter: eb.ref('excluded.datacenter'),
            status: eb.ref('excluded.status'),
            open_incidents: eb.ref('excluded.open_incidents'),
            registered_at: eb.ref('excluded.registered_at'),
            revision: eb.ref('excluded.revision'),
          })),
        ),
    ),
    ...chunksOf(resolved).map((rows) => trx.insertInto('resolved_incidents').values(rows)),
  ]);
};

/**
 * Every instance with its status (from its open incidents' impacts) and open incidents, and the resolved
 * incidents: the public status page and its history.
 */
export const instanceStatusProjection: Projection<InstanceStatusDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  tables: ['instance_status', 'resolved_incidents'],
  apply: applyNewEvents(NAME, applyClaimed),
};

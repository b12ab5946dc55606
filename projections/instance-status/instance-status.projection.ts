import type { Transaction } from 'kysely';
import { instanceStatus, localDate, type IncidentImpact, type InstanceEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyEachNewEvent, type Projection } from '@app/projection-runner';
import { toJson } from '../shared';
import type { InstanceStatusDatabase, StatusPageIncident } from './instance-status.table';

const NAME = 'instance-status';

const HANDLED = [
  'InstanceRegistered',
  'IncidentOpened',
  'IncidentUpdated',
  'IncidentResolved',
] as const satisfies readonly InstanceEvent['type'][];

const worse = (a: IncidentImpact, b: IncidentImpact): IncidentImpact =>
  a === 'outage' || b === 'outage' ? 'outage' : 'degraded';

const saveOpenIncidents = async (
  trx: Transaction<InstanceStatusDatabase>,
  recorded: RecordedEvent,
  instanceId: string,
  openIncidents: readonly StatusPageIncident[],
) => {
  await trx
    .updateTable('instance_status')
    .set({
      open_incidents: toJson(openIncidents),
      status: instanceStatus({ openIncidents }),
      revision: recorded.revision,
    })
    .where('instance_id', '=', instanceId)
    .execute();
};

const applyOne = async (trx: Transaction<InstanceStatusDatabase>, recorded: RecordedEvent): Promise<void> => {
  const event = { type: recorded.type, data: recorded.data } as InstanceEvent;
  if (event.type === 'InstanceRegistered') {
    const { data } = event;
    await trx
      .insertInto('instance_status')
      .values({
        instance_id: data.instanceId,
        name: data.name,
        kind: data.kind,
        datacenter: data.datacenter,
        status: 'operational',
        open_incidents: toJson([]),
        registered_at: data.at,
        revision: recorded.revision,
      })
      .execute();
    return;
  }
  if (!HANDLED.includes(event.type)) return;
  const instance = await trx
    .selectFrom('instance_status')
    .select(['name', 'open_incidents'])
    .where('instance_id', '=', event.data.instanceId)
    .executeTakeFirst();
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
      return saveOpenIncidents(trx, recorded, event.data.instanceId, [...open, incident]);
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
      return saveOpenIncidents(trx, recorded, event.data.instanceId, updated);
    }
    case 'IncidentResolved': {
      const { instanceId, incidentId, at } = event.data;
      const resolved = open.find((incident) => incident.incidentId === incidentId);
      if (!resolved) return;
      await trx
        .insertInto('resolved_incidents')
        .values({
          incident_id: incidentId,
          instance_id: instanceId,
          instance_name: instance.name,
          title: resolved.title,
          impact: resolved.impact,
          worst_impact: resolved.worstImpact,
          opened_at: resolved.openedAt,
          opened_on: localDate(resolved.openedAt),
          resolved_at: at,
          resolved_on: localDate(at),
          updates: toJson(resolved.updates),
          resolved_position: recorded.position,
        })
        .execute();
      return saveOpenIncidents(
        trx,
        recorded,
        instanceId,
        open.filter((incident) => incident !== resolved),
      );
    }
    default:
      return;
  }
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
  apply: applyEachNewEvent(NAME, applyOne),
};

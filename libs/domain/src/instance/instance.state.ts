import type { IncidentImpact, InstanceEvent, InstanceKind } from './instance.events';

/** News posted on an incident, with the impact it set. */
export type IncidentUpdate = Readonly<{ message: string; impact: IncidentImpact; at: string }>;

/** An incident still open on an instance. */
export type OpenIncidentState = Readonly<{
  incidentId: string;
  title: string;
  impact: IncidentImpact;
  openedAt: string;
  updates: readonly IncidentUpdate[];
}>;

/** An incident that is over, kept for the status page's history with what was said when it was resolved. */
export type ResolvedIncidentState = OpenIncidentState &
  Readonly<{ resolvedAt: string; resolutionMessage: string | null }>;

/** A registered server with its open incidents and the history of resolved ones (oldest first). */
export type RegisteredInstance = Readonly<{
  status: 'registered';
  instanceId: string;
  name: string;
  kind: InstanceKind;
  datacenter: string;
  registeredAt: string;
  openIncidents: readonly OpenIncidentState[];
  resolvedIncidents: readonly ResolvedIncidentState[];
}>;

/**
 * The state of an instance stream, keyed on `status` (`unregistered` for an empty stream). The status shown on
 * the status page is not stored: {@link instanceStatus} derives it from the open incidents.
 */
export type InstanceState = Readonly<{ status: 'unregistered' }> | RegisteredInstance;

/** What the status page shows for an instance. */
export type InstanceHealth = 'operational' | 'degraded' | 'outage';

/** The state of an instance before any event. */
export const initialInstanceState = (): InstanceState => ({ status: 'unregistered' });

/**
 * The instance's status from its open incidents: `outage` if any has outage impact, else `degraded` if any is
 * open, else `operational`.
 */
export const instanceStatus = (
  instance: Readonly<{ openIncidents: readonly Readonly<{ impact: IncidentImpact }>[] }>,
): InstanceHealth => {
  if (instance.openIncidents.some((incident) => incident.impact === 'outage')) return 'outage';
  return instance.openIncidents.length > 0 ? 'degraded' : 'operational';
};

/** Folds one event into the instance's state; events about unknown incidents, and unknown events, are ignored. */
export const evolveInstance = (state: InstanceState, event: InstanceEvent): InstanceState => {
  if (event.type === 'InstanceRegistered') {
    const { data } = event;
    return {
      status: 'registered',
      instanceId: data.instanceId,
      name: data.name,
      kind: data.kind,
      datacenter: data.datacenter,
      registeredAt: data.at,
      openIncidents: [],
      resolvedIncidents: [],
    };
  }
  if (state.status === 'unregistered') return state;
  switch (event.type) {
    case 'IncidentOpened': {
      const { data } = event;
      const incident = {
        incidentId: data.incidentId,
        title: data.title,
        impact: data.impact,
        openedAt: data.at,
      };
      return { ...state, openIncidents: [...state.openIncidents, { ...incident, updates: [] }] };
    }
    case 'IncidentUpdated': {
      const { data } = event;
      const update: IncidentUpdate = { message: data.message, impact: data.impact, at: data.at };
      const openIncidents = state.openIncidents.map((incident) =>
        incident.incidentId === data.incidentId
          ? { ...incident, impact: data.impact, updates: [...incident.updates, update] }
          : incident,
      );
      return { ...state, openIncidents };
    }
    case 'IncidentResolved': {
      const { data } = event;
      const resolved = state.openIncidents.find((incident) => incident.incidentId === data.incidentId);
      if (!resolved) return state;
      return {
        ...state,
        openIncidents: state.openIncidents.filter((incident) => incident !== resolved),
        resolvedIncidents: [
          ...state.resolvedIncidents,
          { ...resolved, resolvedAt: data.at, resolutionMessage: data.message },
        ],
      };
    }
    default: {
      // Compile-time check that every known event is folded; at run time an unknown type is ignored.
      const _unknown: never = event;
      return state;
    }
  }
};

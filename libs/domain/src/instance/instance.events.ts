import type { Message } from '../shared/decider';

/** The kind of server an instance is: shared hosting, a cloud server or a dedicated server. */
export type InstanceKind = 'shared' | 'cloud' | 'dedicated';

/**
 * How badly an incident hurts the services on the instance: `degraded` (slow or partly failing) or `outage`
 * (down).
 */
export type IncidentImpact = 'degraded' | 'outage';

/** A server was added to the public status page. */
export type InstanceRegistered = Message<
  'InstanceRegistered',
  { instanceId: string; name: string; kind: InstanceKind; datacenter: string; at: string }
>;

/**
 * An incident was opened: while it is open, every contract with a service on the instance sees an alert that asks
 * nothing of the customer.
 */
export type IncidentOpened = Message<
  'IncidentOpened',
  { instanceId: string; incidentId: string; title: string; impact: IncidentImpact; at: string }
>;

/** Staff posted news on an open incident; `impact` is the incident's impact from now on (changed or not). */
export type IncidentUpdated = Message<
  'IncidentUpdated',
  {
    instanceId: string;
    incidentId: string;
    title: string;
    message: string;
    impact: IncidentImpact;
    at: string;
  }
>;

/** The incident is over, with what the admin said of it (`null`: nothing); it moves to the instance's history. */
export type IncidentResolved = Message<
  'IncidentResolved',
  { instanceId: string; incidentId: string; title: string; message: string | null; at: string }
>;

/** Every event of the instance stream. */
export type InstanceEvent = InstanceRegistered | IncidentOpened | IncidentUpdated | IncidentResolved;

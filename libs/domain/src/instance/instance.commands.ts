import type { Message } from '../shared/decider';
import type { IncidentImpact, InstanceKind } from './instance.events';

/** An admin adds a server to the status page. */
export type RegisterInstance = Message<
  'RegisterInstance',
  { instanceId: string; name: string; kind: InstanceKind; datacenter: string; at: string }
>;

/** An admin opens an incident on the instance; `incidentId` comes from the caller, so a repeat is harmless. */
export type OpenIncident = Message<
  'OpenIncident',
  { incidentId: string; title: string; impact: IncidentImpact; at: string }
>;

/** An admin posts news on an open incident, optionally changing its impact. */
export type PostIncidentUpdate = Message<
  'PostIncidentUpdate',
  { incidentId: string; message: string; impact?: IncidentImpact; at: string }
>;

/** An admin declares the incident over. */
export type ResolveIncident = Message<'ResolveIncident', { incidentId: string; at: string }>;

/** Every command the instance decider accepts. */
export type InstanceCommand = RegisterInstance | OpenIncident | PostIncidentUpdate | ResolveIncident;

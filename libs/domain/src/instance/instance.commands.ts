import type { Command } from '../shared/decider';
import type { IncidentImpact, InstanceKind } from './instance.events';

/** An admin adds a server to the status page. */
export type RegisterInstance = Command<
  'RegisterInstance',
  { instanceId: string; name: string; kind: InstanceKind; datacenter: string }
>;

/** An admin opens an incident on the instance; `incidentId` comes from the caller, so a repeat is harmless. */
export type OpenIncident = Command<
  'OpenIncident',
  { incidentId: string; title: string; impact: IncidentImpact }
>;

/** An admin posts news on an open incident, optionally changing its impact. */
export type PostIncidentUpdate = Command<
  'PostIncidentUpdate',
  { incidentId: string; message: string; impact?: IncidentImpact }
>;

/** An admin declares the incident over, optionally saying what happened. */
export type ResolveIncident = Command<'ResolveIncident', { incidentId: string; message?: string }>;

/** Every command the instance decider accepts. */
export type InstanceCommand = RegisterInstance | OpenIncident | PostIncidentUpdate | ResolveIncident;

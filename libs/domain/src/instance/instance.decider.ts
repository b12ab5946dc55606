import { nowOf } from '../shared/command-time';
import type { Decider } from '../shared/decider';
import { DomainError, InvalidValueError } from '../shared/domain-error';
import { assertNever } from '../shared/exhaustive';
import { parseIdentifier } from '../value-objects/identifier';
import type {
  InstanceCommand,
  OpenIncident,
  PostIncidentUpdate,
  RegisterInstance,
  ResolveIncident,
} from './instance.commands';
import type { IncidentImpact, InstanceEvent, InstanceKind } from './instance.events';
import type { InstanceState, OpenIncidentState, RegisteredInstance } from './instance.state';
import { evolveInstance, initialInstanceState } from './instance.state';

/** Longest instance name, datacenter or incident title accepted, in characters, after trimming. */
export const INSTANCE_LABEL_MAX_LENGTH = 200;

/** Longest incident update message accepted, in characters, after trimming. */
export const INCIDENT_MESSAGE_MAX_LENGTH = 5_000;

const KINDS: readonly InstanceKind[] = ['shared', 'cloud', 'dedicated'];
const IMPACTS: readonly IncidentImpact[] = ['degraded', 'outage'];

const text = (field: string, value: unknown, maxLength: number): string => {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed === '') throw new InvalidValueError(field, `The ${field} must not be empty.`);
  if (trimmed.length > maxLength)
    throw new InvalidValueError(field, `The ${field} must have at most ${maxLength} characters.`);
  return trimmed;
};

const oneOf = <T extends string>(field: string, value: T, allowed: readonly T[]): T => {
  if (!allowed.includes(value))
    throw new InvalidValueError(field, `The ${field} must be one of: ${allowed.join(', ')}.`);
  return value;
};

const register = (command: RegisterInstance, state: InstanceState): InstanceEvent[] => {
  const { data } = command;
  if (state.status !== 'unregistered')
    throw new DomainError('ALREADY_EXISTS', 'This instance is already registered.', {
      instanceId: data.instanceId,
    });
  return [
    {
      type: 'InstanceRegistered',
      data: {
        instanceId: parseIdentifier(data.instanceId, 'instanceId'),
        name: text('name', data.name, INSTANCE_LABEL_MAX_LENGTH),
        kind: oneOf('kind', data.kind, KINDS),
        datacenter: text('datacenter', data.datacenter, INSTANCE_LABEL_MAX_LENGTH),
        at: nowOf(command),
      },
    },
  ];
};

const isKnown = (instance: RegisteredInstance, incidentId: string): boolean =>
  [...instance.openIncidents, ...instance.resolvedIncidents].some(
    (incident) => incident.incidentId === incidentId,
  );

const openIncidentOf = (instance: RegisteredInstance, incidentId: string): OpenIncidentState | undefined =>
  instance.openIncidents.find((incident) => incident.incidentId === incidentId);

const incidentNotFound = (incidentId: string): DomainError =>
  new DomainError('NOT_FOUND', 'This incident does not exist on this instance.', { incidentId });

/** Incident ids come from the caller: opening one that exists (open or resolved) is a repeat and changes nothing. */
const openIncident = (command: OpenIncident, instance: RegisteredInstance): InstanceEvent[] => {
  const { data } = command;
  const incidentId = parseIdentifier(data.incidentId, 'incidentId');
  if (isKnown(instance, incidentId)) return [];
  return [
    {
      type: 'IncidentOpened',
      data: {
        instanceId: instance.instanceId,
        incidentId,
        title: text('title', data.title, INSTANCE_LABEL_MAX_LENGTH),
        impact: oneOf('impact', data.impact, IMPACTS),
        at: nowOf(command),
      },
    },
  ];
};

const postUpdate = (command: PostIncidentUpdate, instance: RegisteredInstance): InstanceEvent[] => {
  const { data } = command;
  const incident = openIncidentOf(instance, data.incidentId);
  if (!incident) {
    if (!isKnown(instance, data.incidentId)) throw incidentNotFound(data.incidentId);
    throw new DomainError('INVALID_TRANSITION', 'A resolved incident takes no more updates.', {
      from: 'resolved',
      command: command.type,
    });
  }
  return [
    {
      type: 'IncidentUpdated',
      data: {
        instanceId: instance.instanceId,
        incidentId: incident.incidentId,
        title: incident.title,
        message: text('message', data.message, INCIDENT_MESSAGE_MAX_LENGTH),
        impact: data.impact === undefined ? incident.impact : oneOf('impact', data.impact, IMPACTS),
        at: nowOf(command),
      },
    },
  ];
};

/**
 * Resolving a resolved incident changes nothing: two admins may both press "resolve". The message is optional;
 * blank means none.
 */
const resolve = (command: ResolveIncident, instance: RegisteredInstance): InstanceEvent[] => {
  const { data } = command;
  const incident = openIncidentOf(instance, data.incidentId);
  if (!incident) {
    if (!isKnown(instance, data.incidentId)) throw incidentNotFound(data.incidentId);
    return [];
  }
  const blank =
    data.message === undefined || (typeof data.message === 'string' && data.message.trim() === '');
  return [
    {
      type: 'IncidentResolved',
      data: {
        instanceId: instance.instanceId,
        incidentId: incident.incidentId,
        title: incident.title,
        message: blank ? null : text('message', data.message, INCIDENT_MESSAGE_MAX_LENGTH),
        at: nowOf(command),
      },
    },
  ];
};

/** Decides what an instance command produces, or refuses it with a {@link DomainError}. */
export const decideInstance = (command: InstanceCommand, state: InstanceState): readonly InstanceEvent[] => {
  if (command.type === 'RegisterInstance') return register(command, state);
  if (state.status === 'unregistered') throw new DomainError('NOT_FOUND', 'This instance does not exist.');
  switch (command.type) {
    case 'OpenIncident':
      return openIncident(command, state);
    case 'PostIncidentUpdate':
      return postUpdate(command, state);
    case 'ResolveIncident':
      return resolve(command, state);
    default:
      return assertNever(command);
  }
};

/** The instance aggregate (stream `instance-<id>`): a server and its incidents, for the public status page. */
export const instanceDecider: Decider<InstanceCommand, InstanceEvent, InstanceState> = {
  initialState: initialInstanceState,
  evolve: evolveInstance,
  decide: decideInstance,
};

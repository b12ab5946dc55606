import {
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type Filter,
  type Position as EsdbPosition,
} from '@eventstore/db-client';
import { ROLES, type Actor, type Role } from '@app/domain';

import type { EventFilter, EventMetadata } from '../event-store.port';
import { decodePosition, encodePosition, type Position } from '../position';
import { streamCategory } from '../stream-name';

/** What the adapter reads of an event of @eventstore/db-client (JSON or binary, from a stream or from $all). */
export type StoredRecord = Readonly<{
  id: string;
  type: string;
  streamId: string;
  revision: bigint;
  data: unknown;
  metadata: unknown;
  created: Date;
  position?: EsdbPosition;
}>;

export const fromEsdbPosition = (position: EsdbPosition): Position =>
  encodePosition(position.commit, position.prepare);

export const toEsdbPosition = (position: Position): EsdbPosition => {
  const { major, minor } = decodePosition(position);
  return { commit: major, prepare: minor };
};

/** EventStoreDB's own events: `$` event types (links, metadata, tombstones) and `$` streams (stats, projections). */
export const isSystemRecord = (record: Pick<StoredRecord, 'type' | 'streamId'>): boolean =>
  record.type.startsWith('$') || record.streamId.startsWith('$');

export const matchesFilter = (
  record: Pick<StoredRecord, 'type' | 'streamId'>,
  filter: EventFilter | undefined,
): boolean =>
  (!filter?.eventTypes || filter.eventTypes.includes(record.type)) &&
  (!filter?.streamCategories || filter.streamCategories.includes(streamCategory(record.streamId)));

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The server-side form of a filter. EventStoreDB takes one expression, on event types or on stream names, so
 * with both only the types are filtered there: {@link matchesFilter} stays the authority on the client. A
 * category is the part of a stream name before its first dash, or the whole name.
 */
export const serverFilter = (filter: EventFilter | undefined): Filter => {
  if (filter?.eventTypes) {
    return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$` });
  }
  if (filter?.streamCategories) {
    return streamNameFilter({ regex: `^(?:${filter.streamCategories.map(escapeRegex).join('|')})(?:-|$)` });
  }
  return excludeSystemEvents();
};

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

const isString = (value: unknown): value is string => typeof value === 'string';

const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

const actorOf = (value: unknown): Actor | undefined => {
  if (!isObject(value)) return undefined;
  const { kind, userId, email, roles, rule } = value;
  if (kind === 'user' && isString(userId)) {
    const knownRoles = Array.isArray(roles) ? roles.filter(isRole) : [];
    return { kind: 'user', userId, email: isString(email) ? email : '', roles: knownRoles };
  }
  if (kind === 'system' && isString(rule)) return { kind: 'system', rule };
  return undefined;
};

/** Who caused an event that says nothing about it (one written by another tool than this adapter). */
export const UNKNOWN_ACTOR: Actor = { kind: 'system', rule: 'unknown' };

/**
 * The metadata of a stored event as the port's EventMetadata, never throwing: events written by other tools
 * (no metadata, binary or non-JSON metadata, other fields) get defaults — the server's `created` time for
 * `occurredAt`, the event's own id for correlation and causation, schema version 1 — and malformed fields are
 * replaced by those defaults or left out.
 */
export const metadataOf = (record: Pick<StoredRecord, 'id' | 'metadata' | 'created'>): EventMetadata => {
  const raw = isObject(record.metadata) ? record.metadata : {};
  const created = Number.isNaN(record.created.getTime()) ? new Date(0) : record.created;
  const occurredAt =
    isString(raw.occurredAt) && !Number.isNaN(Date.parse(raw.occurredAt))
      ? raw.occurredAt
      : created.toISOString();
  const schemaVersion =
    typeof raw.schemaVersion === 'number' && Number.isSafeInteger(raw.schemaVersion) && raw.schemaVersion > 0
      ? raw.schemaVersion
      : 1;
  return {
    actor: actorOf(raw.actor) ?? UNKNOWN_ACTOR,
    occurredAt,
    correlationId: isString(raw.correlationId) ? raw.correlationId : record.id,
    causationId: isString(raw.causationId) ? raw.causationId : record.id,
    ...(isString(raw.commandName) ? { commandName: raw.commandName } : {}),
    ...(isString(raw.commandId) ? { commandId: raw.commandId } : {}),
    ...(isString(raw.commandDigest) ? { commandDigest: raw.commandDigest } : {}),
    schemaVersion,
  };
};

import type { Insertable, Selectable } from 'kysely';
import type { StateChange } from '@app/domain';
import type { EventMetadata } from '@app/event-store';
import type { InstantColumn, JsonColumn } from '../shared';

/**
 * Every event of the log, as the audit reads it: where it is (stream, revision, position), what it says, who
 * and what caused it, and the fields it changed in its aggregate's state (folded with the domain's `evolve`).
 */
export interface AuditEventsTable {
  /** Log position: the key, in log order (fixed-width hex, compared byte by byte). */
  position: string;
  event_id: string;
  stream_name: string;
  /** The stream's category (`service` for `service-42`). */
  category: string;
  revision: number;
  /** The contract whose history the event is part of; `null` for streams of no contract (instances). */
  contract_id: string | null;
  type: string;
  occurred_at: InstantColumn;
  /** The acting user's id, or the system rule's name. */
  actor_id: string;
  actor_email: string | null;
  correlation_id: string;
  causation_id: string;
  data: JsonColumn<unknown>;
  metadata: JsonColumn<EventMetadata>;
  changes: JsonColumn<readonly StateChange[]>;
}

/**
 * One row per stream: the contract it belongs to (learnt from its first event, since later ones may not name
 * it) and its state folded so far, from which the next event's changes are computed.
 */
export interface AuditStreamsTable {
  stream_name: string;
  category: string;
  contract_id: string | null;
  /** Revision of the last event folded. */
  revision: number;
  state: JsonColumn<unknown>;
  first_position: string;
  first_occurred_at: InstantColumn;
}

export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewAuditEventRow = Insertable<AuditEventsTable>;
export type AuditStreamRow = Selectable<AuditStreamsTable>;

export interface AuditLogDatabase {
  audit_events: AuditEventsTable;
  audit_streams: AuditStreamsTable;
}

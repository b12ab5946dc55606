import type { Insertable, Selectable } from 'kysely';
import type {
  IncidentImpact,
  IncidentUpdate,
  InstanceHealth,
  InstanceKind,
  OpenIncidentState,
} from '@app/domain';
import type { InstantColumn, JsonColumn } from '../shared';

/** An incident as the status page shows it, with the worst impact it has had (an update may lower it). */
export type StatusPageIncident = OpenIncidentState & Readonly<{ worstImpact: IncidentImpact }>;

/**
 * One row per instance holding all the public status page shows of it, its open incidents included, so GET /status
 * is one read of one table.
 */
export interface InstanceStatusTable {
  instance_id: string;
  name: string;
  kind: InstanceKind;
  datacenter: string;
  status: InstanceHealth;
  /** Oldest first. */
  open_incidents: JsonColumn<readonly StatusPageIncident[]>;
  registered_at: InstantColumn;
  /** Revision of the last event applied to the row. */
  revision: number;
}

/** Every resolved incident: the status page's history. */
export interface ResolvedIncidentsTable {
  incident_id: string;
  instance_id: string;
  instance_name: string;
  title: string;
  /** The impact it had when it was resolved. */
  impact: IncidentImpact;
  worst_impact: IncidentImpact;
  opened_at: InstantColumn;
  /** YYYY-MM-DD, the Sao Paulo day it was opened. */
  opened_on: string;
  resolved_at: InstantColumn;
  /** YYYY-MM-DD, the Sao Paulo day it was resolved. */
  resolved_on: string;
  updates: JsonColumn<readonly IncidentUpdate[]>;
  /** Log position of the resolution: the key of the history, newest first. */
  resolved_position: string;
}

export type InstanceStatusRow = Selectable<InstanceStatusTable>;
export type NewInstanceStatusRow = Insertable<InstanceStatusTable>;
export type ResolvedIncidentRow = Selectable<ResolvedIncidentsTable>;
export type NewResolvedIncidentRow = Insertable<ResolvedIncidentsTable>;

export interface InstanceStatusDatabase {
  instance_status: InstanceStatusTable;
  resolved_incidents: ResolvedIncidentsTable;
}

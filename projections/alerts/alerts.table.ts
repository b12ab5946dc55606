import type { Insertable, Selectable } from 'kysely';
import type { IncidentImpact } from '@app/domain';
import type { InstantColumn } from '../shared';

/**
 * Which contract each live service belongs to and which instance it runs on: this read model's own copy, so it
 * rebuilds without waiting on another projection. A cancelled or terminated service leaves it.
 */
export interface AlertServicesTable {
  service_id: string;
  contract_id: string;
  /** Null until the service is provisioned. */
  instance_id: string | null;
}

/** Instance names, for the alert's text. */
export interface AlertInstancesTable {
  instance_id: string;
  name: string;
}

/** Every open incident; a resolved one leaves. */
export interface AlertIncidentsTable {
  incident_id: string;
  instance_id: string;
  title: string;
  impact: IncidentImpact;
  opened_at: InstantColumn;
  updated_at: InstantColumn;
  /** The latest news staff posted, if any. */
  latest_message: string | null;
  /** Log position of the opening: the key of a contract's alerts, newest first. */
  opened_position: string;
}

export type AlertServiceRow = Selectable<AlertServicesTable>;
export type NewAlertServiceRow = Insertable<AlertServicesTable>;
export type AlertIncidentRow = Selectable<AlertIncidentsTable>;
export type NewAlertIncidentRow = Insertable<AlertIncidentsTable>;

export interface AlertsDatabase {
  alert_services: AlertServicesTable;
  alert_instances: AlertInstancesTable;
  alert_incidents: AlertIncidentsTable;
}

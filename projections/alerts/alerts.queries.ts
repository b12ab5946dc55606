import { sql } from 'kysely';
import type { ReadModelReader } from '@app/projection-runner';
import type { KeysetPage } from '../shared';
import type { AlertIncidentRow, AlertsDatabase } from './alerts.table';

/** An open incident as a contract sees it: on which instance, and which of its services it touches. */
export type ContractAlertRow = AlertIncidentRow &
  Readonly<{ instance_name: string | null; service_ids: string[] }>;

/**
 * The open incidents on instances that run the contract's live services, newest first; the key is
 * `opened_position`. Each incident appears once, however many of the contract's services it touches.
 */
export const alertsOfContract = (
  db: ReadModelReader<AlertsDatabase>,
  contractId: string,
  page: KeysetPage,
): Promise<ContractAlertRow[]> => {
  let query = db
    .selectFrom('alert_incidents as i')
    .innerJoin('alert_services as s', 's.instance_id', 'i.instance_id')
    .leftJoin('alert_instances as n', 'n.instance_id', 'i.instance_id')
    .selectAll('i')
    .select([
      'n.name as instance_name',
      sql<string[]>`array_agg(${sql.ref('s.service_id')} order by ${sql.ref('s.service_id')})`.as(
        'service_ids',
      ),
    ])
    .where('s.contract_id', '=', contractId)
    .groupBy(['i.incident_id', 'n.name']);
  if (page.after !== undefined) query = query.where('i.opened_position', '<', page.after);
  return query.orderBy('i.opened_position', 'desc').limit(page.limit).execute();
};

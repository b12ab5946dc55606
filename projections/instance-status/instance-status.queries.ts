import type { ReadModelReader } from '@app/projection-runner';
import type { LocalDate } from '@app/domain';
import type { KeysetPage } from '../shared';
import type { InstanceStatusDatabase, InstanceStatusRow, ResolvedIncidentRow } from './instance-status.table';

/** Every instance with its status and open incidents, one read of one table; the key is `instance_id`. */
export const instanceStatuses = (
  db: ReadModelReader<InstanceStatusDatabase>,
  page: KeysetPage,
): Promise<InstanceStatusRow[]> => {
  let query = db.selectFrom('instance_status').selectAll();
  if (page.after !== undefined) query = query.where('instance_id', '>', page.after);
  return query.orderBy('instance_id').limit(page.limit).execute();
};

export const instanceStatusById = (
  db: ReadModelReader<InstanceStatusDatabase>,
  instanceId: string,
): Promise<InstanceStatusRow | undefined> =>
  db.selectFrom('instance_status').selectAll().where('instance_id', '=', instanceId).executeTakeFirst();

/**
 * Resolved incidents, most recently resolved first; the key is `resolved_position`. Narrowed to one instance, or
 * to those resolved on or after a Sao Paulo day.
 */
export const resolvedIncidents = (
  db: ReadModelReader<InstanceStatusDatabase>,
  page: KeysetPage,
  filter: Readonly<{ instanceId?: string; resolvedOnOrAfter?: LocalDate }> = {},
): Promise<ResolvedIncidentRow[]> => {
  let query = db.selectFrom('resolved_incidents').selectAll();
  if (filter.instanceId !== undefined) query = query.where('instance_id', '=', filter.instanceId);
  if (filter.resolvedOnOrAfter !== undefined)
    query = query.where('resolved_on', '>=', filter.resolvedOnOrAfter);
  if (page.after !== undefined) query = query.where('resolved_position', '<', page.after);
  return query.orderBy('resolved_position', 'desc').limit(page.limit).execute();
};

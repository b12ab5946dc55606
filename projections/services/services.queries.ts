import type { ReadModelReader } from '@app/projection-runner';
import type { ServiceRow, ServicesDatabase } from './services.table';

/** A contract's services in a stable order, a page after `afterServiceId`. */
export const servicesOfContract = (
  db: ReadModelReader<ServicesDatabase>,
  contractId: string,
  page: Readonly<{ limit: number; afterServiceId?: string }>,
): Promise<ServiceRow[]> => {
  let query = db.selectFrom('services').selectAll().where('contract_id', '=', contractId);
  if (page.afterServiceId !== undefined) query = query.where('service_id', '>', page.afterServiceId);
  return query.orderBy('service_id').limit(page.limit).execute();
};

export const serviceById = (
  db: ReadModelReader<ServicesDatabase>,
  serviceId: string,
): Promise<ServiceRow | undefined> =>
  db.selectFrom('services').selectAll().where('service_id', '=', serviceId).executeTakeFirst();

import type { ReadModelReader } from '@app/projection-runner';
import type { KeysetPage } from '../shared';
import type { CallbackRow, CallbacksDatabase } from './callbacks.table';

/** A contract's call-back requests, newest first; the key is `requested_position`. */
export const callbacksOfContract = (
  db: ReadModelReader<CallbacksDatabase>,
  contractId: string,
  page: KeysetPage,
): Promise<CallbackRow[]> => {
  let query = db.selectFrom('callbacks').selectAll().where('contract_id', '=', contractId);
  if (page.after !== undefined) query = query.where('requested_position', '<', page.after);
  return query.orderBy('requested_position', 'desc').limit(page.limit).execute();
};

export const callbackById = (
  db: ReadModelReader<CallbacksDatabase>,
  callbackId: string,
): Promise<CallbackRow | undefined> =>
  db.selectFrom('callbacks').selectAll().where('callback_id', '=', callbackId).executeTakeFirst();

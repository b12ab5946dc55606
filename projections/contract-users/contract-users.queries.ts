import type { ReadModelReader } from '@app/projection-runner';
import type { KeysetPage } from '../shared';
import type { ContractUsersDatabase } from './contract-users.table';

/** The contracts `userId` belongs to, with their permissions on each, a page after `afterContractId`. */
export const contractsOfUser = (
  db: ReadModelReader<ContractUsersDatabase>,
  userId: string,
  page: Readonly<{ limit: number; afterContractId?: string }>,
) => {
  let query = db
    .selectFrom('contract_users as u')
    .innerJoin('contracts as c', 'c.contract_id', 'u.contract_id')
    .select(['u.contract_id', 'c.holder_name', 'u.permissions', 'u.is_owner'])
    .where('u.user_id', '=', userId);
  if (page.afterContractId !== undefined) query = query.where('u.contract_id', '>', page.afterContractId);
  return query.orderBy('u.contract_id').limit(page.limit).execute();
};

/** A contract's users, owner included, in a stable order. */
export const usersOfContract = (
  db: ReadModelReader<ContractUsersDatabase>,
  contractId: string,
  page: Readonly<{ limit: number; afterUserId?: string }>,
) => {
  let query = db.selectFrom('contract_users').selectAll().where('contract_id', '=', contractId);
  if (page.afterUserId !== undefined) query = query.where('user_id', '>', page.afterUserId);
  return query.orderBy('user_id').limit(page.limit).execute();
};

/** A contract's invitations, whatever became of them, a page in `invitation_id` order. */
export const invitationsOfContract = (
  db: ReadModelReader<ContractUsersDatabase>,
  contractId: string,
  page: KeysetPage,
) => {
  let query = db.selectFrom('contract_invitations').selectAll().where('contract_id', '=', contractId);
  if (page.after !== undefined) query = query.where('invitation_id', '>', page.after);
  return query.orderBy('invitation_id').limit(page.limit).execute();
};

/** A contract's notification contacts, a page in `contact_id` order. */
export const contactsOfContract = (
  db: ReadModelReader<ContractUsersDatabase>,
  contractId: string,
  page: KeysetPage,
) => {
  let query = db.selectFrom('contract_contacts').selectAll().where('contract_id', '=', contractId);
  if (page.after !== undefined) query = query.where('contact_id', '>', page.after);
  return query.orderBy('contact_id').limit(page.limit).execute();
};

/** A contract's holder and owner, with the flag "every notification address is on a domain it hosts". */
export const contractById = (db: ReadModelReader<ContractUsersDatabase>, contractId: string) =>
  db.selectFrom('contracts').selectAll().where('contract_id', '=', contractId).executeTakeFirst();

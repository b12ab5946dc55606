import type { Kysely } from 'kysely';
import type { ContractSummaryDatabase, ContractSummaryRow } from './contract-summary.table';

/** A contract's home-page figures in one row. */
export const contractSummary = (
  db: Kysely<ContractSummaryDatabase>,
  contractId: string,
): Promise<ContractSummaryRow | undefined> =>
  db.selectFrom('contract_summaries').selectAll().where('contract_id', '=', contractId).executeTakeFirst();

import type { ReadModelReader } from '@app/projection-runner';
import type { ContractSummaryDatabase, ContractSummaryRow } from './contract-summary.table';

/** A contract's home-page figures in one row. */
export const contractSummary = (
  db: ReadModelReader<ContractSummaryDatabase>,
  contractId: string,
): Promise<ContractSummaryRow | undefined> =>
  db.selectFrom('contract_summaries').selectAll().where('contract_id', '=', contractId).executeTakeFirst();

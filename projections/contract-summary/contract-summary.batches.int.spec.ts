import { describeBatchSplits } from '../shared/batch-splits.suite.spec';
import { contractSummaryProjection } from './contract-summary.projection';

// Incidents are rare in a generated log: a long one is needed for the summary's incident rows.
describeBatchSplits(contractSummaryProjection, contractSummaryProjection.tables ?? [], 20_000);

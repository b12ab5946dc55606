import { describeBatchSplits } from '../shared/batch-splits.suite.spec';
import { contractSummaryProjection } from './contract-summary.projection';

describeBatchSplits(contractSummaryProjection, contractSummaryProjection.tables ?? [], 4_000);

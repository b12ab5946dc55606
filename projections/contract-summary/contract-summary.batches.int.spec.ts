import { describeBatchSplits } from '../shared/batch-splits.fixtures.spec';
import { contractSummaryProjection } from './contract-summary.projection';

describeBatchSplits(contractSummaryProjection, { seed: 11, events: 4_000 });

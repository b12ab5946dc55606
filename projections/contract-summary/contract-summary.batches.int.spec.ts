import { describeBatchSplits } from '../shared/batch-splits.suite.spec';
import { contractSummaryProjection } from './contract-summary.projection';

// Incidents are rare in a generated log: a long one is needed for the summary's incident rows. 14,000 events (of
// which 6,540 are the summary's) is past 10,000 and ends with an incident open, as 20,000 did with 9,244 of them
// to fold one at a time; none of the lengths from 10,000 to 13,000 in steps of 500 ends with one.
describeBatchSplits(contractSummaryProjection, contractSummaryProjection.tables ?? [], 14_000);

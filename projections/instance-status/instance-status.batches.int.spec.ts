import { describeBatchSplits } from '../shared/batch-splits.suite.spec';
import { instanceStatusProjection } from './instance-status.projection';

// Incidents are rare in a generated log: a long one is needed for a few dozen of their events.
describeBatchSplits(instanceStatusProjection, instanceStatusProjection.tables ?? [], 20_000);

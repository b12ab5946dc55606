import { describeBatchSplits } from '../shared/batch-splits.fixtures.spec';
import { instanceStatusProjection } from './instance-status.projection';

// Incidents are rare in a generated log: a long one is needed for a few dozen of their events.
describeBatchSplits(instanceStatusProjection, { seed: 11, events: 20_000, atLeast: 50 });

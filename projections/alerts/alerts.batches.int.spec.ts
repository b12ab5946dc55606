import { describeBatchSplits } from '../shared/batch-splits.fixtures.spec';
import { alertsProjection } from './alerts.projection';

describeBatchSplits(alertsProjection, { seed: 11, events: 4_000 });

import { describeBatchSplits } from '../shared/batch-splits.suite.spec';
import { alertsProjection } from './alerts.projection';

describeBatchSplits(alertsProjection, alertsProjection.tables ?? [], 4_000);

import { describeBatchSplits } from '../shared/batch-splits.suite.spec';
import { alertsProjection } from './alerts.projection';

// Incidents are rare in a generated log: a long one is needed for the alerts' incident rows.
describeBatchSplits(alertsProjection, alertsProjection.tables ?? [], 20_000);

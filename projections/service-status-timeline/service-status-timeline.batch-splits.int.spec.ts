import { describeBatchSplits } from '../shared/batch-splits.suite.spec';
import { serviceStatusTimelineProjection } from './service-status-timeline.projection';

describeBatchSplits(serviceStatusTimelineProjection, ['service_status_intervals', 'analytics_invoices']);

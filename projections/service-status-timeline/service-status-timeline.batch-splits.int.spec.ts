import { describeBatchSplits } from '../shared/batch-splits.fixtures.spec';
import { serviceStatusTimelineProjection } from './service-status-timeline.projection';

describeBatchSplits(serviceStatusTimelineProjection, ['service_status_intervals', 'analytics_invoices']);

import { describeBatchSplits } from '../shared/batch-splits.suite.spec';
import { servicesProjection } from './services.projection';

describeBatchSplits(servicesProjection, ['services']);

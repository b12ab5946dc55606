import { describeBatchSplits } from '../shared/batch-splits.fixtures.spec';
import { servicesProjection } from './services.projection';

describeBatchSplits(servicesProjection, ['services']);

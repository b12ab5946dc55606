import { describeBatchSplits } from '../shared/batch-splits.fixtures.spec';
import { callbacksProjection } from './callbacks.projection';

describeBatchSplits(callbacksProjection, ['callbacks']);

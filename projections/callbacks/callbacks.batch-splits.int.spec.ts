import { describeBatchSplits } from '../shared/batch-splits.suite.spec';
import { callbacksProjection } from './callbacks.projection';

describeBatchSplits(callbacksProjection, ['callbacks']);

import { describeBatchSplits } from '../shared/batch-splits.fixtures.spec';
import { contractUsersProjection } from './contract-users.projection';

describeBatchSplits(contractUsersProjection, { seed: 11, events: 4_000 });

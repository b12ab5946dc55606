import { describeBatchSplits } from '../shared/batch-splits.suite.spec';
import { contractUsersProjection } from './contract-users.projection';

describeBatchSplits(contractUsersProjection, contractUsersProjection.tables ?? [], 4_000);

import { describeBatchSplits } from '../shared/batch-splits.suite.spec';
import { invoicesProjection } from './invoices.projection';

describeBatchSplits(invoicesProjection, ['invoices']);

import { describeBatchSplits } from '../shared/batch-splits.fixtures.spec';
import { invoicesProjection } from './invoices.projection';

describeBatchSplits(invoicesProjection, ['invoices']);

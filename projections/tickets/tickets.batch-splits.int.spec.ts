import { describeBatchSplits } from '../shared/batch-splits.suite.spec';
import { ticketsProjection } from './tickets.projection';

describeBatchSplits(ticketsProjection, ['tickets', 'ticket_messages']);

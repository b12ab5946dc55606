import { describeBatchSplits } from '../shared/batch-splits.fixtures.spec';
import { ticketsProjection } from './tickets.projection';

describeBatchSplits(ticketsProjection, ['tickets', 'ticket_messages']);

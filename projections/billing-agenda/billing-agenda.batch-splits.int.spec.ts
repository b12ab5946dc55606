import { describeBatchSplits } from '../shared/batch-splits.suite.spec';
import { billingAgendaProjection } from './billing-agenda.projection';

describeBatchSplits(billingAgendaProjection, [
  'billing_agenda_services',
  'billing_agenda_invoices',
  'billing_agenda_tickets',
  'billing_agenda_invitations',
]);

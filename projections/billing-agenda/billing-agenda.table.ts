import type { Selectable } from 'kysely';
import type { ParentServiceKind, ServiceKind } from '@app/domain';
import type { NullableInstantColumn } from '../shared';

/**
 * The billing clock's agenda: per subject, only the dates its time-based rules look at, each indexed, so a run
 * finds its candidates by date range instead of loading every aggregate. A row is a hint: every command the clock
 * sends is decided on the aggregate, so a stale row can never cause a wrong transition.
 */
export interface BillingAgendaServicesTable {
  service_id: string;
  kind: ServiceKind;
  parent_kind: ParentServiceKind | null;
  status: 'pending' | 'active' | 'suspended' | 'cancelled' | 'terminated';
  suspension_reason: string | null;
  /** YYYY-MM-DD (Sao Paulo): the start of the first period not yet paid. */
  next_due_date: string;
  /** The Sao Paulo day a non-payment suspension's retention ends; null unless suspended for non-payment. */
  retention_ends_on: string | null;
  /** The Sao Paulo day a cancellation scheduled for the end of the period takes effect. */
  cancellation_effective_on: string | null;
  parent_service_id: string | null;
}

/** Invoices still open (for overdue marks and suspensions) or paid without a nota fiscal. */
export interface BillingAgendaInvoicesTable {
  invoice_id: string;
  status: 'open' | 'overdue' | 'paid' | 'cancelled' | 'refunded';
  /** YYYY-MM-DD (Sao Paulo). */
  due_date: string;
  nota_fiscal_pending: boolean;
  /** The services its lines bill. */
  service_ids: string[];
}

/** Tickets whose last word is a staff answer, since when. */
export interface BillingAgendaTicketsTable {
  ticket_id: string;
  answered_at: NullableInstantColumn;
}

/** Pending invitations and when they expire. */
export interface BillingAgendaInvitationsTable {
  invitation_id: string;
  contract_id: string;
  expires_at: NullableInstantColumn;
}

export type BillingAgendaServiceRow = Selectable<BillingAgendaServicesTable>;

export interface BillingAgendaDatabase {
  billing_agenda_services: BillingAgendaServicesTable;
  billing_agenda_invoices: BillingAgendaInvoicesTable;
  billing_agenda_tickets: BillingAgendaTicketsTable;
  billing_agenda_invitations: BillingAgendaInvitationsTable;
}

export const BILLING_AGENDA_TABLES: readonly (keyof BillingAgendaDatabase)[] = [
  'billing_agenda_services',
  'billing_agenda_invoices',
  'billing_agenda_tickets',
  'billing_agenda_invitations',
];

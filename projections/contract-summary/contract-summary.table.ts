import type { Insertable, Selectable } from 'kysely';
import type { ServiceStatus } from '@app/domain';

/** One row per contract: every figure of the portal's home page. */
export interface ContractSummariesTable {
  contract_id: string;
  holder_name: string;
  services_pending: number;
  services_active: number;
  services_suspended: number;
  services_cancelled: number;
  services_terminated: number;
  /** Unpaid invoices: open or overdue. */
  open_invoices_count: number;
  overdue_invoices_count: number;
  open_invoices_total_cents: number;
  /** YYYY-MM-DD, the earliest due date of an unpaid invoice; null when none is unpaid. */
  next_invoice_due_date: string | null;
  /** Tickets not closed, whatever else their status. */
  open_tickets_count: number;
  /** Open incidents on the instances the contract's live services run on. */
  active_alerts_count: number;
}

/** Every service, with its contract, status and instance: the summary's own map, rebuilt with it. */
export interface SummaryServicesTable {
  service_id: string;
  contract_id: string;
  status: Exclude<ServiceStatus, 'none'>;
  instance_id: string | null;
}

/** Every unpaid invoice; a paid or cancelled one leaves. */
export interface SummaryInvoicesTable {
  invoice_id: string;
  contract_id: string;
  status: 'open' | 'overdue';
  total_cents: number;
  due_date: string;
}

/** Every ticket not closed; a reopened one comes back. */
export interface SummaryTicketsTable {
  ticket_id: string;
  contract_id: string;
}

/** Every open incident; a resolved one leaves. */
export interface SummaryIncidentsTable {
  incident_id: string;
  instance_id: string;
}

export type ContractSummaryRow = Selectable<ContractSummariesTable>;
export type NewContractSummaryRow = Insertable<ContractSummariesTable>;

export interface ContractSummaryDatabase {
  contract_summaries: ContractSummariesTable;
  summary_services: SummaryServicesTable;
  summary_invoices: SummaryInvoicesTable;
  summary_tickets: SummaryTicketsTable;
  summary_incidents: SummaryIncidentsTable;
}

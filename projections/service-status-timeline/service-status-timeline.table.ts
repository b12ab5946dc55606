import type { Insertable, Selectable } from 'kysely';

/**
 * One row per stretch of time a service spent in one status: from the event that put it there (`from_revision`,
 * `from_at`) to the next status change (`to_at`, null while it lasts). Cancelled and terminated are final, so
 * their interval stays open.
 */
export interface ServiceStatusIntervalsTable {
  service_id: string;
  /** Revision of the service event that opened the interval: the row's key within its service. */
  from_revision: number;
  contract_id: string;
  kind: string;
  status: 'pending' | 'active' | 'suspended' | 'cancelled' | 'terminated';
  /**
   * Why the service entered the status: the suspension reason, who reactivated it (`payment`, `parent`, `staff`),
   * the cancellation's reason or the termination's cause; null for pending and a first activation.
   */
  reason: string | null;
  /** The unpaid invoice a non-payment suspension names. */
  invoice_id: string | null;
  /** The status of the interval this one followed (null for the first one). */
  previous_status: string | null;
  from_at: Date | string;
  to_at: Date | string | null;
}

/**
 * What the analytics need of each invoice: when it was issued, became overdue, was paid, cancelled or refunded,
 * so its status at any past instant can be told (invoice aging "as of", overdue-to-suspension times).
 */
export interface AnalyticsInvoicesTable {
  invoice_id: string;
  contract_id: string;
  total_cents: number;
  /** YYYY-MM-DD, a Sao Paulo calendar day. */
  due_date: string;
  issued_at: Date | string;
  overdue_at: Date | string | null;
  paid_at: Date | string | null;
  cancelled_at: Date | string | null;
  refunded_at: Date | string | null;
}

export type ServiceStatusIntervalRow = Selectable<ServiceStatusIntervalsTable>;
export type NewServiceStatusIntervalRow = Insertable<ServiceStatusIntervalsTable>;
export type AnalyticsInvoiceRow = Selectable<AnalyticsInvoicesTable>;

export interface ServiceStatusTimelineDatabase {
  service_status_intervals: ServiceStatusIntervalsTable;
  analytics_invoices: AnalyticsInvoicesTable;
}

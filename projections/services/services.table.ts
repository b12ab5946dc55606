import type { Insertable, Selectable, Updateable } from 'kysely';

/** One row per service: what the portal's service list and page show. */
export interface ServicesTable {
  service_id: string;
  contract_id: string;
  kind: string;
  plan: string;
  billing_cycle: string;
  price_cents: number;
  parent_service_id: string | null;
  status: 'pending' | 'active' | 'suspended' | 'cancelled' | 'terminated';
  next_due_date: string;
  /** The service's own payment method (display fields only), or null for the contract's default. */
  payment_method: unknown;
  instance_id: string | null;
  suspension_reason: string | null;
  ordered_at: Date | string;
  /** Revision of the last event applied to the row. */
  revision: number;
}

export type ServiceRow = Selectable<ServicesTable>;
export type NewServiceRow = Insertable<ServicesTable>;
export type ServiceRowUpdate = Updateable<ServicesTable>;

export interface ServicesDatabase {
  services: ServicesTable;
}

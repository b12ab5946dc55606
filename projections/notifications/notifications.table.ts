import type { Generated, Insertable, Selectable } from 'kysely';
import type { ContactCategory } from '@app/domain';
import type { InstantColumn, JsonColumn, NullableInstantColumn } from '../shared';

/** Where a message stands: waiting (first try or a retry), delivered, or given up on (the dead letters). */
export type NotificationStatus = 'queued' | 'sent' | 'failed';

/** The statuses staff may list by. */
export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['queued', 'sent', 'failed'];

/** How a sent message left: handed to the SMTP server, or written to the log (no SMTP_URL). */
export type NotificationChannel = 'smtp' | 'log';

/** Why an address receives a message: the ticket's opener, the contract's owner, or a contact of a category. */
export type RecipientReason = 'opener' | 'owner' | `contact:${ContactCategory}`;

/** What a notification is about. */
export type NotificationKind =
  | 'ticket_opened'
  | 'ticket_replied'
  | 'ticket_status_changed'
  | 'ticket_closed'
  | 'invoice_issued'
  | 'invoice_overdue'
  | 'service_suspended'
  | 'service_reactivated'
  | 'incident_opened'
  | 'incident_resolved';

/**
 * The outbox: one e-mail to one address, decided by the notifications projection in the transaction of its
 * checkpoint, then delivered by the worker's sender. `message_id` is derived from the cause event and the
 * address, so a replayed event inserts nothing; the row is never deleted, whatever becomes of the delivery.
 */
export interface NotificationOutboxTable {
  /** Insertion order: the key of the staff list. */
  seq: Generated<number>;
  message_id: string;
  kind: NotificationKind;
  cause_event_id: string;
  contract_id: string;
  recipient_email: string;
  recipient_reasons: JsonColumn<readonly RecipientReason[]>;
  subject: string;
  body: string;
  status: NotificationStatus;
  /** How it was delivered, once `sent`. */
  channel: NotificationChannel | null;
  /** Delivery attempts begun (counted when claimed, so one cut short by a crash counts too). */
  attempts: number;
  /** Not to be tried before this instant; `null`: at once. */
  next_attempt_at: NullableInstantColumn;
  /** A sender holds the message until then: another sender leaves it alone, and takes it once it has passed. */
  lease_until: NullableInstantColumn;
  lease_owner: string | null;
  last_error: string | null;
  /** When the cause event happened. */
  created_at: InstantColumn;
  sent_at: NullableInstantColumn;
  updated_at: InstantColumn;
}

/** The projection's own view of the contracts: whom to address, as of the event being applied. */
export interface NotificationContractsTable {
  contract_id: string;
  owner_email: string;
}

export interface NotificationContactsTable {
  contact_id: string;
  contract_id: string;
  email: string;
  categories: JsonColumn<readonly ContactCategory[]>;
}

/** Services as the messages name them, and the instance each runs on (for incidents). */
export interface NotificationServicesTable {
  service_id: string;
  contract_id: string;
  plan: string;
  instance_id: string | null;
  /** Cancelled or terminated: no longer on any instance. */
  ended: boolean;
}

export interface NotificationInstancesTable {
  instance_id: string;
  name: string;
}

export interface NotificationInvoicesTable {
  invoice_id: string;
  contract_id: string;
  total_cents: number;
}

export type NotificationRow = Selectable<NotificationOutboxTable>;
export type NewNotificationRow = Insertable<NotificationOutboxTable>;

export interface NotificationsDatabase {
  notification_outbox: NotificationOutboxTable;
  notification_contracts: NotificationContractsTable;
  notification_contacts: NotificationContactsTable;
  notification_services: NotificationServicesTable;
  notification_instances: NotificationInstancesTable;
  notification_invoices: NotificationInvoicesTable;
}

/** The projection's tables, the outbox first. */
export const NOTIFICATION_TABLES: readonly (keyof NotificationsDatabase)[] = [
  'notification_outbox',
  'notification_contracts',
  'notification_contacts',
  'notification_services',
  'notification_instances',
  'notification_invoices',
];

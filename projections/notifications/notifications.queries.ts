import type { Kysely } from 'kysely';
import type { KeysetPage } from '../shared';
import type { NotificationRow, NotificationsDatabase, NotificationStatus } from './notifications.table';

export type NotificationFilter = Readonly<{ status?: NotificationStatus; contractId?: string }>;

/** The outbox for staff, newest first; the key is `seq` (as text). */
export const notificationsPage = (
  db: Kysely<NotificationsDatabase>,
  filter: NotificationFilter,
  page: KeysetPage,
): Promise<NotificationRow[]> => {
  let query = db.selectFrom('notification_outbox').selectAll();
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.contractId !== undefined) query = query.where('contract_id', '=', filter.contractId);
  if (page.after !== undefined) query = query.where('seq', '<', Number(page.after));
  return query.orderBy('seq', 'desc').limit(page.limit).execute();
};

/** One message of the outbox. */
export const notificationById = (
  db: Kysely<NotificationsDatabase>,
  messageId: string,
): Promise<NotificationRow | undefined> =>
  db.selectFrom('notification_outbox').selectAll().where('message_id', '=', messageId).executeTakeFirst();

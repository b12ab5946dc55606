import type { Kysely } from 'kysely';
import type { NotificationChannel, NotificationRow, NotificationsDatabase } from './notifications.table';

type Outbox = Kysely<NotificationsDatabase>;

/** A message a sender has claimed: it alone may settle it until `lease_until`. */
export type ClaimedNotification = NotificationRow;

/**
 * Claims up to `limit` messages due at `now` for `owner`, until `now + leaseMs`: queued, not waiting for a later
 * retry, and either never claimed or claimed by a sender whose lease ran out (it died mid-send). `FOR UPDATE SKIP
 * LOCKED` lets two senders claim at once without taking the same message; each claim counts as an attempt.
 */
export const claimDueNotifications = (
  db: Outbox,
  {
    owner,
    now,
    leaseMs,
    limit,
    maxAttempts,
  }: Readonly<{
    owner: string;
    now: Date;
    leaseMs: number;
    limit: number;
    maxAttempts: number;
  }>,
): Promise<ClaimedNotification[]> => {
  const at = now.toISOString();
  const due = db
    .selectFrom('notification_outbox')
    .select('message_id')
    .where('status', '=', 'queued')
    .where('attempts', '<', maxAttempts)
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]))
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .orderBy('seq')
    .limit(limit)
    .forUpdate()
    .skipLocked();
  return db
    .updateTable('notification_outbox')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      lease_owner: owner,
      lease_until: new Date(now.getTime() + leaseMs).toISOString(),
      updated_at: at,
    }))
    .where('message_id', 'in', due)
    .returningAll()
    .execute()
    .then((rows) => rows.sort((a, b) => a.seq - b.seq));
};

const held = (db: Outbox, message: ClaimedNotification, owner: string) =>
  db
    .updateTable('notification_outbox')
    .where('message_id', '=', message.message_id)
    .where('lease_owner', '=', owner)
    .where('status', '=', 'queued');

/** The message was delivered. Answers false when the lease had passed to another sender meanwhile. */
export const markNotificationSent = async (
  db: Outbox,
  message: ClaimedNotification,
  { owner, now, channel }: Readonly<{ owner: string; now: Date; channel: NotificationChannel }>,
): Promise<boolean> => {
  const at = now.toISOString();
  const result = await held(db, message, owner)
    .set({
      status: 'sent',
      channel,
      sent_at: at,
      updated_at: at,
      lease_owner: null,
      lease_until: null,
      next_attempt_at: null,
      last_error: null,
    })
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
};

/** The attempt failed: the message waits until `retryAt`, or is given up on (`failed`) when `retryAt` is null. */
export const markNotificationAttemptFailed = async (
  db: Outbox,
  message: ClaimedNotification,
  { owner, now, error, retryAt }: Readonly<{ owner: string; now: Date; error: string; retryAt: Date | null }>,
): Promise<void> => {
  const at = now.toISOString();
  await held(db, message, owner)
    .set({
      status: retryAt === null ? 'failed' : 'queued',
      next_attempt_at: retryAt?.toISOString() ?? null,
      last_error: error,
      updated_at: at,
      lease_owner: null,
      lease_until: null,
    })
    .execute();
};

/**
 * Gives up on the messages that have used every attempt without an answer: their last sender died mid-send and
 * its lease ran out (or NOTIFICATION_MAX_ATTEMPTS was lowered). Answers how many.
 */
export const failExhaustedNotifications = async (
  db: Outbox,
  { now, maxAttempts }: Readonly<{ now: Date; maxAttempts: number }>,
): Promise<number> => {
  const at = now.toISOString();
  const result = await db
    .updateTable('notification_outbox')
    .set((eb) => ({
      status: 'failed',
      last_error: eb.fn.coalesce('last_error', eb.val('the last attempt was cut short (its sender stopped)')),
      lease_owner: null,
      lease_until: null,
      updated_at: at,
    }))
    .where('status', '=', 'queued')
    .where('attempts', '>=', maxAttempts)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
};

/**
 * Gives up, before any attempt, on the messages whose cause is older than `maxAgeMs`: what a projection deployed
 * on a long log (or a worker back after a long outage) finds in the past is news no longer. Answers how many.
 */
export const expireStaleNotifications = async (
  db: Outbox,
  { now, maxAgeMs }: Readonly<{ now: Date; maxAgeMs: number }>,
): Promise<number> => {
  const result = await db
    .updateTable('notification_outbox')
    .set({
      status: 'failed',
      last_error: 'not sent: its cause was already older than NOTIFICATION_MAX_AGE_HOURS',
      updated_at: now.toISOString(),
    })
    .where('status', '=', 'queued')
    .where('attempts', '=', 0)
    .where('created_at', '<', new Date(now.getTime() - maxAgeMs))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
};

/**
 * Puts a message back in the queue with its attempts reset (staff, after fixing what made it fail). Answers the row
 * as the requeue left it (a sender may take it the next instant), or nothing when the message was not failed.
 */
export const requeueNotification = (
  db: Outbox,
  messageId: string,
  now: Date,
): Promise<NotificationRow | undefined> =>
  db
    .updateTable('notification_outbox')
    .set({
      status: 'queued',
      attempts: 0,
      next_attempt_at: null,
      lease_owner: null,
      lease_until: null,
      updated_at: now.toISOString(),
    })
    .where('message_id', '=', messageId)
    .where('status', '=', 'failed')
    .returningAll()
    .executeTakeFirst();

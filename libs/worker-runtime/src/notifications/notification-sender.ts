import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '@app/command-handling';
import {
  claimDueNotifications,
  expireStaleNotifications,
  failExhaustedNotifications,
  markNotificationAttemptFailed,
  markNotificationSent,
  type ClaimedNotification,
  type NotificationsDatabase,
} from '@app/projections';
import { DeliveryError, type NotificationTransport } from './notification-transport';

/** When to try again and when to give up. */
export type RetryPolicy = Readonly<{
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  leaseMs: number;
}>;

/** The wait after attempt `attempt` (1-based) failed: the base, doubled at each attempt, at most `retryMaxMs`. */
export const retryDelayMs = (policy: RetryPolicy, attempt: number): number =>
  Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.min(attempt - 1, 30));

export type SendReport = Readonly<{ claimed: number; sent: number; retried: number; failed: number }>;

/** What the sender tells its log: a retry to come, a message given up on, a sender error. */
export type SenderLog = Readonly<{
  warn: (fields: Record<string, unknown>, message: string) => void;
  error: (fields: Record<string, unknown>, message: string) => void;
}>;

export type NotificationSenderOptions = Readonly<{
  db: Kysely<NotificationsDatabase>;
  transport: NotificationTransport;
  clock: Clock;
  policy: RetryPolicy;
  /** The From of every message. */
  from: string;
  /** How often to look for messages due when the last pass found none. */
  pollIntervalMs: number;
  /** Messages whose cause is older than this when first due are not sent; undefined: no limit. */
  maxAgeMs?: number | undefined;
  /** Claimed per pass. */
  batchSize?: number;
  /** Names this sender's leases; unique per process by default. */
  owner?: string;
  log?: SenderLog;
}>;

const SILENT: SenderLog = { warn: () => undefined, error: () => undefined };

/** The domain of the From address, which names the Message-IDs (`<id@domain>`). */
export const messageIdDomain = (from: string): string =>
  /@([^\s<>@]+)>?\s*$/.exec(from)?.[1]?.toLowerCase() ?? 'localhost';

/**
 * Delivers the outbox: claims the messages due (a lease, so that two senders never hold one message at once),
 * hands each to the transport, and records the outcome — sent, a retry after an exponential backoff, or failed
 * after the last attempt or a permanent refusal. At least once: a sender that dies after the SMTP server took a
 * message and before recording it leaves the lease to run out, and the message goes again with the same
 * Message-ID, so the receiver can recognise the duplicate. No outcome deletes a message.
 */
export class NotificationSender {
  readonly owner: string;
  private readonly domain: string;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: NotificationSenderOptions) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID()}`;
    this.domain = messageIdDomain(options.from);
  }

  /** The Message-ID header of a notification: derived from its id alone, so every attempt carries the same one. */
  messageIdOf(notificationId: string): string {
    return `<${notificationId}@${this.domain}>`;
  }

  /** One pass: gives up on stale and exhausted messages, claims a batch of those due and delivers it. */
  async sendDue(): Promise<SendReport> {
    const { db, clock, policy, maxAgeMs } = this.options;
    if (maxAgeMs !== undefined) await expireStaleNotifications(db, { now: clock.now(), maxAgeMs });
    await failExhaustedNotifications(db, { now: clock.now(), maxAttempts: policy.maxAttempts });
    const claimed = await claimDueNotifications(db, {
      owner: this.owner,
      now: clock.now(),
      leaseMs: policy.leaseMs,
      limit: this.options.batchSize ?? 20,
      maxAttempts: policy.maxAttempts,
    });
    const report = { claimed: claimed.length, sent: 0, retried: 0, failed: 0 };
    for (const message of claimed) {
      const outcome = await this.deliver(message);
      report[outcome] += 1;
    }
    return report;
  }

  private async deliver(message: ClaimedNotification): Promise<'sent' | 'retried' | 'failed'> {
    const { db, clock, policy, transport, log = SILENT } = this.options;
    try {
      await transport.deliver({
        notificationId: message.message_id,
        messageId: this.messageIdOf(message.message_id),
        kind: message.kind,
        from: this.options.from,
        to: message.recipient_email,
        subject: message.subject,
        text: message.body,
      });
    } catch (caught) {
      const error =
        caught instanceof DeliveryError
          ? caught
          : new DeliveryError(caught instanceof Error ? caught.message : String(caught), false);
      const now = clock.now();
      const giveUp = error.permanent || message.attempts >= policy.maxAttempts;
      const retryAt = giveUp ? null : new Date(now.getTime() + retryDelayMs(policy, message.attempts));
      await markNotificationAttemptFailed(db, message, {
        owner: this.owner,
        now,
        error: error.message,
        retryAt,
      });
      const fields = { notification: message.message_id, kind: message.kind, attempt: message.attempts };
      if (retryAt === null)
        log.error({ ...fields, reason: error.message }, 'Notification given up on (failed)');
      else
        log.warn(
          { ...fields, reason: error.message, retryAt: retryAt.toISOString() },
          'Notification retried later',
        );
      return retryAt === null ? 'failed' : 'retried';
    }
    await markNotificationSent(db, message, {
      owner: this.owner,
      now: clock.now(),
      channel: transport.channel,
    });
    return 'sent';
  }

  /** Runs passes until stopped: at once while there is more to send, else every `pollIntervalMs`. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        let full = false;
        try {
          const report = await this.sendDue();
          full = report.claimed === (this.options.batchSize ?? 20);
        } catch (error) {
          (this.options.log ?? SILENT).error(
            { err: error },
            'The notification sender failed; it tries again',
          );
        }
        if (!full && !this.stopping) await this.pause();
      }
    })();
  }

  /** Stops after the message in hand; what is left stays queued for the next sender. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    await this.options.transport.close();
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollIntervalMs);
      this.wake = done;
    });
  }
}

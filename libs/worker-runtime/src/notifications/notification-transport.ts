import { createTransport } from 'nodemailer';
import type { NotificationChannel, NotificationKind } from '@app/projections';

/** One e-mail as the sender hands it to a transport. */
export type OutgoingEmail = Readonly<{
  /** The outbox's id of the message. */
  notificationId: string;
  /** The Message-ID header: the same on every attempt, so a receiver can tell a redelivery from a new message. */
  messageId: string;
  kind: NotificationKind;
  from: string;
  to: string;
  subject: string;
  text: string;
}>;

/** Where notifications go: an SMTP relay, or the log when none is configured. */
export type NotificationTransport = Readonly<{
  channel: NotificationChannel;
  deliver: (email: OutgoingEmail) => Promise<void>;
  close: () => Promise<void>;
}>;

/**
 * A delivery that did not happen. `permanent` for a refusal that another attempt would meet again (an SMTP 5xx
 * reply: no such mailbox, relaying denied); anything else (4xx, a connection lost, a timeout) is worth a retry.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

const deliveryErrorOf = (error: unknown): DeliveryError => {
  const responseCode = (error as { responseCode?: unknown } | null)?.responseCode;
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError(
    message.slice(0, 500),
    typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600,
    { cause: error },
  );
};

/** How long one SMTP exchange may take at most; the lease (NOTIFICATION_LEASE_MS) must outlast it. */
export type SmtpTimeouts = Readonly<{ connectionMs: number; greetingMs: number; socketMs: number }>;

const DEFAULT_TIMEOUTS: SmtpTimeouts = { connectionMs: 30_000, greetingMs: 30_000, socketMs: 60_000 };

/** Delivers through the SMTP relay at `url` (nodemailer), one connection per message. */
export const smtpTransport = (
  url: string,
  timeouts: SmtpTimeouts = DEFAULT_TIMEOUTS,
): NotificationTransport => {
  // nodemailer reads host, port, TLS (smtps:), credentials and any query options (`?requireTLS=true`) from the URL.
  const transporter = createTransport({
    url,
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
  });
  return {
    channel: 'smtp',
    deliver: async (email) => {
      try {
        await transporter.sendMail({
          from: email.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          messageId: email.messageId,
          headers: { 'X-Notification-Id': email.notificationId, 'Auto-Submitted': 'auto-generated' },
        });
      } catch (error) {
        throw deliveryErrorOf(error);
      }
    },
    close: async () => transporter.close(),
  };
};

/** `a***@exemplo.com.br`: enough to tell addresses apart in a log, not to harvest them. */
export const maskedAddress = (email: string): string => {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`;
};

/** What the log transport writes with: a Nest logger, or any function. */
export type LogLine = (fields: Record<string, unknown>, message: string) => void;

/**
 * Without SMTP_URL: each message is written to the log — which message, what kind, its subject and a masked
 * address, never its text — and counts as sent (channel `log`).
 */
export const logTransport = (log: LogLine): NotificationTransport => ({
  channel: 'log',
  deliver: async (email) =>
    log(
      {
        notification: email.notificationId,
        messageId: email.messageId,
        kind: email.kind,
        to: maskedAddress(email.to),
        subject: email.subject,
      },
      'Notification written to the log (SMTP_URL is not set)',
    ),
  close: async () => undefined,
});

import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Clock } from '@app/command-handling';
import type { AppConfig } from '@app/config';
import { APP_CONFIG, CLOCK, DATABASE } from '@app/platform';
import type { NotificationsDatabase } from '@app/projections';
import type { DatabaseConnection } from '@app/read-store';
import { NotificationSender } from './notification-sender';
import { logTransport, smtpTransport } from './notification-transport';

/**
 * The worker's notification sender: SMTP through nodemailer when SMTP_URL is set, the log otherwise. Every worker
 * process runs one; their leases keep them off each other's messages.
 */
@Module({})
export class NotificationSenderModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Notifications');
  private readonly sender: NotificationSender;
  private readonly mode: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DATABASE) database: DatabaseConnection,
    @Inject(CLOCK) clock: Clock,
  ) {
    const settings = config.notifications;
    this.sender = new NotificationSender({
      db: database.db as Kysely<NotificationsDatabase>,
      transport:
        settings.smtpUrl === undefined
          ? logTransport((fields, message) => this.logger.log(fields, message))
          : smtpTransport(settings.smtpUrl),
      clock,
      policy: settings,
      from: settings.from,
      pollIntervalMs: settings.pollIntervalMs,
      maxAgeMs: settings.maxAgeMs,
      log: {
        warn: (fields, message) => this.logger.warn(fields, message),
        error: (fields, message) => this.logger.error(fields, message),
      },
    });
    this.mode = settings.smtpUrl === undefined ? 'to the log (SMTP_URL not set)' : 'by SMTP';
  }

  onApplicationBootstrap(): void {
    this.sender.start();
    this.logger.log(`Notification sender started: messages go ${this.mode}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender.stop();
  }
}

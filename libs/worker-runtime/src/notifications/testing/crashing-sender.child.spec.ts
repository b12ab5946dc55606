// A worker process of its own for the crash test (named .spec.ts so the build leaves it out; no jest tier runs it):
// one pass of the real sender, killed (SIGKILL) by the test while the SMTP server holds its message.
import type { Kysely } from 'kysely';
import { systemClock } from '@app/command-handling';
import type { NotificationsDatabase } from '@app/projections';
import { openDatabase } from '@app/read-store';
import { NotificationSender } from '../notification-sender';
import { smtpTransport } from '../notification-transport';

const main = async (): Promise<void> => {
  const { CRASH_DATABASE_URL, CRASH_SCHEMA, CRASH_DATA_DIR, CRASH_SMTP_URL, CRASH_FROM, CRASH_LEASE_MS } =
    process.env;
  const database = await openDatabase(
    CRASH_DATABASE_URL
      ? { kind: 'server', url: CRASH_DATABASE_URL, schema: CRASH_SCHEMA ?? 'public', poolSize: 2 }
      : { kind: 'embedded', dataDir: CRASH_DATA_DIR ?? '' },
  );
  const sender = new NotificationSender({
    db: database.db as Kysely<NotificationsDatabase>,
    transport: smtpTransport(CRASH_SMTP_URL ?? ''),
    clock: systemClock,
    policy: { maxAttempts: 3, retryBaseMs: 1_000, retryMaxMs: 60_000, leaseMs: Number(CRASH_LEASE_MS) },
    from: CRASH_FROM ?? '',
    pollIntervalMs: 50,
    owner: 'worker-killed-mid-send',
  });
  process.stdout.write('claiming\n');
  await sender.sendDue();
  process.stdout.write('settled\n');
};

void main();

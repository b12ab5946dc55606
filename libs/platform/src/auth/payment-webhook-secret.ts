import type { AppConfig } from '@app/config';
import { readOrCreateSecretFile } from './secret-file';

/** The file in DATA_DIR that keeps the embedded mode's generated payment webhook secret. */
export const PAYMENT_WEBHOOK_SECRET_FILE = 'payment-webhook-secret';

/**
 * The key the payment gateway signs its webhook deliveries with (HMAC-SHA256 of the raw body):
 * PAYMENT_WEBHOOK_SECRET when set; in embedded mode without it, one generated once and kept in
 * `DATA_DIR/payment-webhook-secret`, so a developer can sign test deliveries with it. With a Postgres server and
 * no secret, `undefined`: a generated key would differ between API processes and be known to no gateway, so every
 * delivery is refused until one is configured.
 */
export const resolvePaymentWebhookSecret = (config: AppConfig): string | undefined => {
  if (config.paymentWebhookSecret !== undefined) return config.paymentWebhookSecret;
  if (config.database.kind !== 'embedded') return undefined;
  return readOrCreateSecretFile(config.dataDir, PAYMENT_WEBHOOK_SECRET_FILE, 'PAYMENT_WEBHOOK_SECRET');
};

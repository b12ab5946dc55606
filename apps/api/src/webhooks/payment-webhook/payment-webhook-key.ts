import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { APP_CONFIG, resolvePaymentWebhookSecret } from '@app/platform';

/**
 * The key deliveries are signed with, resolved on the first delivery rather than at start-up: in embedded mode
 * without PAYMENT_WEBHOOK_SECRET it is generated into DATA_DIR then, so an app that never receives a webhook (a
 * test, `npm run openapi`) writes no file. `undefined` with a Postgres server and no secret configured.
 */
@Injectable()
export class PaymentWebhookKey {
  private resolved: { readonly secret: string | undefined } | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  secret(): string | undefined {
    this.resolved ??= { secret: resolvePaymentWebhookSecret(this.config) };
    return this.resolved.secret;
  }
}

import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PaymentWebhookHandler } from './payment-webhook/payment-webhook.handler';
import { PaymentWebhookHttpController } from './payment-webhook/payment-webhook.http.controller';
import { PaymentWebhookKey } from './payment-webhook/payment-webhook-key';
import { PaymentWebhookSignatureGuard } from './payment-webhook/payment-webhook-signature.guard';

/** What outside systems call back: the payment gateway's signed deliveries. */
@Module({
  imports: [CqrsModule],
  controllers: [PaymentWebhookHttpController],
  providers: [PaymentWebhookKey, PaymentWebhookSignatureGuard, PaymentWebhookHandler],
})
export class WebhooksModule {}

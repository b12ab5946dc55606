import { createHmac, timingSafeEqual } from 'node:crypto';
import { HttpStatus, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ApiError } from '../../http';
import { PaymentWebhookKey } from './payment-webhook-key';

/** The header the gateway puts its signature in: hex HMAC-SHA256 of the raw request body. */
export const SIGNATURE_HEADER = 'X-Signature';

const SIGNATURE = /^[0-9a-f]{64}$/i;

/** The signature of `body` under `secret`, as the gateway computes it. */
export const paymentWebhookSignature = (secret: string, body: Buffer | string): string =>
  createHmac('sha256', secret).update(body).digest('hex');

const unsigned = (): ApiError =>
  new ApiError(
    HttpStatus.UNAUTHORIZED,
    'UNAUTHENTICATED',
    `The delivery must carry ${SIGNATURE_HEADER}: the hex HMAC-SHA256 of its body with the webhook secret.`,
    undefined,
    { 'WWW-Authenticate': `Signature header="${SIGNATURE_HEADER}", algorithm="hmac-sha256"` },
  );

/**
 * Lets a delivery through only when its signature is the HMAC of the exact bytes received (the JSON middleware
 * keeps them on `req.rawBody`), compared in constant time. Runs before the body is validated, so an unsigned
 * caller learns nothing about what a valid body is, and nothing is read or written for it.
 */
@Injectable()
export class PaymentWebhookSignatureGuard implements CanActivate {
  constructor(private readonly key: PaymentWebhookKey) {}

  canActivate(context: ExecutionContext): boolean {
    const secret = this.key.secret();
    if (secret === undefined) {
      throw new ApiError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'PAYMENT_WEBHOOK_NOT_CONFIGURED',
        'Payment webhooks are not accepted until PAYMENT_WEBHOOK_SECRET is configured.',
      );
    }
    const request = context.switchToHttp().getRequest<Request & { rawBody?: Buffer }>();
    const values = request.headersDistinct[SIGNATURE_HEADER.toLowerCase()] ?? [];
    const [given] = values;
    if (values.length !== 1 || given === undefined || !SIGNATURE.test(given)) throw unsigned();
    const expected = Buffer.from(paymentWebhookSignature(secret, request.rawBody ?? Buffer.alloc(0)), 'hex');
    if (!timingSafeEqual(Buffer.from(given, 'hex'), expected)) throw unsigned();
    return true;
  }
}

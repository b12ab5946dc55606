import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, type Clock, type WritePath } from '@app/command-handling';
import { invoiceDecider, invoiceStream, type RecordPayment } from '@app/domain';
import { CLOCK, WRITE_PATH } from '@app/platform';
import { answerOf, type CommandAnswer } from '../../commands/command-answer';
import type { PaymentWebhookRequest } from './payment-webhook.request.dto';

/** The rule the gateway's payments are recorded under, as the audit trail names it. */
export const PAYMENT_WEBHOOK_RULE = 'payment-webhook';

export class PaymentWebhookCommand {
  constructor(
    readonly request: PaymentWebhookRequest,
    readonly correlationId: string,
  ) {}
}

/**
 * Applies a signed delivery as the system's payment. The command id is the gateway's transaction id, so the
 * gateway's retries of one delivery find the first command and get its answer again, appending nothing.
 */
@CommandHandler(PaymentWebhookCommand)
export class PaymentWebhookHandler implements ICommandHandler<PaymentWebhookCommand, CommandAnswer> {
  constructor(
    @Inject(WRITE_PATH) private readonly writePath: WritePath,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ request, correlationId }: PaymentWebhookCommand): Promise<CommandAnswer> {
    const stream = invoiceStream(request.invoiceId);
    const command: RecordPayment = {
      type: 'RecordPayment',
      data: {
        transactionId: request.transactionId,
        amountCents: request.amountCents,
        method: request.method,
        paidAt: request.paidAt,
      },
      metadata: {
        now: this.clock.now().toISOString(),
        actor: { kind: 'system', rule: PAYMENT_WEBHOOK_RULE },
      },
    };
    const result = await handleCommand(this.writePath, invoiceDecider, stream, {
      command,
      commandId: `${PAYMENT_WEBHOOK_RULE}:${request.transactionId}`,
      correlationId,
    });
    return answerOf(this.writePath.eventStore, stream, request.invoiceId, result);
  }
}

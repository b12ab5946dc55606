import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { invoiceDecider, invoiceStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { authorizeOnInvoice } from '../invoice-access';
import type { RecordPaymentRequest } from './record-payment.request.dto';

export class RecordPaymentCommand {
  constructor(
    readonly invoiceId: string,
    readonly request: RecordPaymentRequest,
    readonly context: CommandContext,
  ) {}
}

/** Billing staff record a payment the gateway reported (when its webhook did not arrive). */
@CommandHandler(RecordPaymentCommand)
export class RecordPaymentHandler implements ICommandHandler<RecordPaymentCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ invoiceId, request, context }: RecordPaymentCommand): Promise<CommandAnswer> {
    await authorizeOnInvoice(this.sender, context.caller, invoiceId, 'recordPayment');
    return this.sender.send(
      invoiceDecider,
      invoiceStream(invoiceId),
      {
        type: 'RecordPayment',
        data: {
          transactionId: request.transactionId,
          amountCents: request.amountCents,
          method: request.method,
          paidAt: request.paidAt,
        },
      },
      context,
      invoiceId,
    );
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { invoiceDecider, invoiceStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { authorizeOnInvoice } from '../invoice-access';
import type { RefundInvoiceRequest } from './refund-invoice.request.dto';

export class RefundInvoiceCommand {
  constructor(
    readonly invoiceId: string,
    readonly request: RefundInvoiceRequest,
    readonly context: CommandContext,
  ) {}
}

/** Billing staff refund a paid invoice; the domain cancels its nota fiscal in the same decision. */
@CommandHandler(RefundInvoiceCommand)
export class RefundInvoiceHandler implements ICommandHandler<RefundInvoiceCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ invoiceId, request, context }: RefundInvoiceCommand): Promise<CommandAnswer> {
    await authorizeOnInvoice(this.sender, context.caller, invoiceId, 'refundInvoice');
    return this.sender.send(
      invoiceDecider,
      invoiceStream(invoiceId),
      { type: 'RefundInvoice', data: { reason: request.reason } },
      context,
      invoiceId,
    );
  }
}

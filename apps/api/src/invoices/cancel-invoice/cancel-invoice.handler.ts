import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { invoiceDecider, invoiceStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { authorizeOnInvoice } from '../invoice-access';
import type { CancelInvoiceRequest } from './cancel-invoice.request.dto';

export class CancelInvoiceCommand {
  constructor(
    readonly invoiceId: string,
    readonly request: CancelInvoiceRequest,
    readonly context: CommandContext,
  ) {}
}

/** Billing staff cancel an invoice that is still unpaid. */
@CommandHandler(CancelInvoiceCommand)
export class CancelInvoiceHandler implements ICommandHandler<CancelInvoiceCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ invoiceId, request, context }: CancelInvoiceCommand): Promise<CommandAnswer> {
    await authorizeOnInvoice(this.sender, context.caller, invoiceId, 'cancelInvoice');
    return this.sender.send(
      invoiceDecider,
      invoiceStream(invoiceId),
      { type: 'CancelInvoice', data: { reason: request.reason } },
      context,
      invoiceId,
    );
  }
}

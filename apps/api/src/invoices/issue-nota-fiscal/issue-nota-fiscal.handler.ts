import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  allocatedNotaFiscalNumber,
  invoiceDecider,
  invoiceStream,
  isNotaFiscalPending,
  nextNotaFiscalNumber,
  notaFiscalAllocation,
  notaFiscalSeriesDecider,
  notaFiscalSeriesStream,
} from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { authorizeOnInvoice, type IssuedInvoice } from '../invoice-access';

export class IssueNotaFiscalCommand {
  constructor(
    readonly invoiceId: string,
    readonly context: CommandContext,
  ) {}
}

/**
 * A member with `billing` (or billing staff) issues a paid invoice's nota fiscal before the billing clock does.
 * Two appends, in an order safe to repeat: first the series allocates the invoice its number (an invoice that
 * already has one gets that same one, so no retry spends another), then the invoice records the nota under it
 * (the same number again changes nothing). Should the process stop between the two, the number stays the
 * invoice's, unused by anyone else, and the next attempt — this request retried, another one, or the billing
 * clock — issues the nota under it.
 */
@CommandHandler(IssueNotaFiscalCommand)
export class IssueNotaFiscalHandler implements ICommandHandler<IssueNotaFiscalCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ invoiceId, context }: IssueNotaFiscalCommand): Promise<CommandAnswer> {
    const invoice = await authorizeOnInvoice(this.sender, context.caller, invoiceId, 'issueNotaFiscal');
    const number = await this.numberFor(invoice, context);
    return this.sender.send(
      invoiceDecider,
      invoiceStream(invoiceId),
      { type: 'IssueNotaFiscal', data: { number } },
      context,
      invoiceId,
    );
  }

  /**
   * The number to issue under. Only an invoice waiting for its nota is given one from the series; for any other
   * the number it has, or would get, is sent for the invoice decider to answer — the same nota again changes
   * nothing, an unpaid, cancelled or refunded invoice is refused — so a refusal never takes a number.
   */
  private async numberFor(invoice: IssuedInvoice, context: CommandContext): Promise<number> {
    const stream = notaFiscalSeriesStream();
    if (isNotaFiscalPending(invoice)) {
      // Under the allocation's own command id, not this request's: the billing clock's allocation for this
      // invoice is the same command, so whichever comes second gets the first one's number.
      const { events } = await this.sender.run(
        notaFiscalSeriesDecider,
        stream,
        { type: 'AllocateNotaFiscalNumber', data: { invoiceId: invoice.invoiceId } },
        { ...context, ...notaFiscalAllocation(invoice.invoiceId) },
      );
      const allocated = allocatedNotaFiscalNumber(events, invoice.invoiceId);
      if (allocated === null) throw new Error(`The series allocated no number to ${invoice.invoiceId}`);
      return allocated;
    }
    if ((invoice.status === 'paid' || invoice.status === 'refunded') && invoice.notaFiscal !== null) {
      return invoice.notaFiscal.number;
    }
    return nextNotaFiscalNumber(await this.sender.stateOf(notaFiscalSeriesDecider, stream));
  }
}

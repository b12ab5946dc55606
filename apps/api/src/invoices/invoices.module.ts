import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandSender } from '../commands/command-sender';
import { CancelInvoiceHandler } from './cancel-invoice/cancel-invoice.handler';
import { CancelInvoiceHttpController } from './cancel-invoice/cancel-invoice.http.controller';
import { IssueNotaFiscalHandler } from './issue-nota-fiscal/issue-nota-fiscal.handler';
import { IssueNotaFiscalHttpController } from './issue-nota-fiscal/issue-nota-fiscal.http.controller';
import { RecordPaymentHandler } from './record-payment/record-payment.handler';
import { RecordPaymentHttpController } from './record-payment/record-payment.http.controller';
import { RefundInvoiceHandler } from './refund-invoice/refund-invoice.handler';
import { RefundInvoiceHttpController } from './refund-invoice/refund-invoice.http.controller';

/** The invoices' commands: payments recorded by staff, early notas fiscais, refunds and cancellations. */
@Module({
  imports: [CqrsModule],
  controllers: [
    RecordPaymentHttpController,
    IssueNotaFiscalHttpController,
    RefundInvoiceHttpController,
    CancelInvoiceHttpController,
  ],
  providers: [
    CommandSender,
    RecordPaymentHandler,
    IssueNotaFiscalHandler,
    RefundInvoiceHandler,
    CancelInvoiceHandler,
  ],
})
export class InvoicesModule {}

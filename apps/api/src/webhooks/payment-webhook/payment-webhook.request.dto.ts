import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { ID_PATTERN } from '../../http';
import { RecordPaymentRequest } from '../../invoices/record-payment/record-payment.request.dto';

/** POST /webhooks/payments: the gateway's report of a settled payment, the invoice it pays included. */
export class PaymentWebhookRequest extends RecordPaymentRequest {
  @ApiProperty({ example: '3f0c8a4e-2b1d-4e5f-9a6b-7c8d9e0f1a2b' })
  @IsString()
  @Matches(ID_PATTERN, { message: 'invoiceId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly invoiceId!: string;
}

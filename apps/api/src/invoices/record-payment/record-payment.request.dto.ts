import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, MaxLength, MinLength } from 'class-validator';
import { PAYMENT_METHOD_KINDS, type PaymentMethodKind } from '@app/domain';

/**
 * A payment as the gateway reports it, recorded by billing staff (POST /invoices/:id/payments); the webhook's
 * body is the same plus the invoice id. The domain checks the amount against the invoice and the instant.
 */
export class RecordPaymentRequest {
  @ApiProperty({
    example: 'pay_8Yk2m1Qz',
    description: "The gateway's transaction id: a payment is applied at most once per transaction id.",
    maxLength: 200,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  readonly transactionId!: string;

  @ApiProperty({ example: 2990, description: 'Cents; must equal the open amount of the invoice.' })
  @IsInt()
  readonly amountCents!: number;

  @ApiProperty({ enum: PAYMENT_METHOD_KINDS, example: 'boleto' })
  @IsIn(PAYMENT_METHOD_KINDS)
  readonly method!: PaymentMethodKind;

  @ApiProperty({
    example: '2026-03-01T14:03:00.000Z',
    description: 'When the gateway settled it (ISO-8601).',
  })
  @IsString()
  @MaxLength(40)
  readonly paidAt!: string;
}

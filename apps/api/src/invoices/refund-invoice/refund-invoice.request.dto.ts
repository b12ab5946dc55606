import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** POST /invoices/:id/refund: why the money goes back. */
export class RefundInvoiceRequest {
  @ApiProperty({ example: 'Cobrança em duplicidade', maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  readonly reason!: string;
}

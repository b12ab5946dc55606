import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** POST /invoices/:id/cancellation: why the invoice is void. */
export class CancelInvoiceRequest {
  @ApiProperty({ example: 'Serviço cancelado antes do vencimento', maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  readonly reason!: string;
}

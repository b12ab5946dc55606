import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { PAYMENT_METHOD_KINDS, type PaymentMethodInput, type PaymentMethodKind } from '@app/domain';

/**
 * PUT /services/:id/payment-method: `boleto` alone; `credit_card` with its gateway token and display fields;
 * `direct_debit` with its bank display fields and token; or no `method` (or `null`) to use the contract's
 * default again. Any other field — a card number, a CVV — is refused by the validation pipe and never echoed;
 * which fields each method needs, and what a valid token, last4 or agency is, the domain decides.
 */
export class ServicePaymentMethodRequest {
  @ApiPropertyOptional({
    enum: PAYMENT_METHOD_KINDS,
    nullable: true,
    example: 'credit_card',
    description: 'Absent or null: the service goes back to the contract default.',
  })
  @IsOptional()
  @IsIn(PAYMENT_METHOD_KINDS)
  readonly method?: PaymentMethodKind | null;

  @ApiPropertyOptional({ example: 'tok_4f9a2c', description: 'credit_card: the gateway token of the card.' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  readonly cardToken?: string;

  @ApiPropertyOptional({ example: 'Visa', description: 'credit_card.' })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  readonly brand?: string;

  @ApiPropertyOptional({ example: '4242', description: 'credit_card: the last four digits.' })
  @IsOptional()
  @IsString()
  @MaxLength(4)
  readonly last4?: string;

  @ApiPropertyOptional({ example: 12, description: 'credit_card: 1 to 12.' })
  @IsOptional()
  @IsInt()
  readonly expMonth?: number;

  @ApiPropertyOptional({ example: 2030, description: 'credit_card.' })
  @IsOptional()
  @IsInt()
  readonly expYear?: number;

  @ApiPropertyOptional({ example: '341', description: 'direct_debit: the bank name or code.' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  readonly bank?: string;

  @ApiPropertyOptional({ example: '1234-5', description: 'direct_debit.' })
  @IsOptional()
  @IsString()
  @MaxLength(6)
  readonly agency?: string;

  @ApiPropertyOptional({ example: '****5678', description: 'direct_debit: at most 4 digits shown.' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  readonly maskedAccount?: string;

  @ApiPropertyOptional({ example: 'dd_tok_91b2', description: 'direct_debit: the gateway token.' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  readonly debitToken?: string;
}

const FIELDS = [
  'method',
  'cardToken',
  'brand',
  'last4',
  'expMonth',
  'expYear',
  'bank',
  'agency',
  'maskedAccount',
  'debitToken',
] as const satisfies readonly (keyof ServicePaymentMethodRequest)[];

/**
 * The domain's input for the request: `null` (the contract's default) for an empty body or a `null` method, else
 * every field sent — so a field that does not belong to the method, or a method missing with others sent, is
 * the domain's refusal to give.
 */
export const paymentMethodInputOf = (request: ServicePaymentMethodRequest): PaymentMethodInput | null => {
  const sent = Object.fromEntries(
    FIELDS.flatMap((field) =>
      request[field] === undefined || request[field] === null ? [] : [[field, request[field]]],
    ),
  );
  return Object.keys(sent).length === 0 ? null : sent;
};

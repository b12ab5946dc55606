import { applyDecorators, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, MaxLength, MinLength } from 'class-validator';
import { PAYMENT_METHOD_KINDS, type PaymentMethodInput, type PaymentMethodKind } from '@app/domain';
import { createValidationPipe } from '../http/request/validation.pipe';

/*
 * One class per kind of payment method, chosen by `method` before validation, so each kind accepts exactly its
 * own fields: a field of another kind, a card number or a CVV is refused as an unknown field (400, named, never
 * echoed), not silently dropped. Shapes and sizes only: the domain's parsePaymentMethod decides what a token,
 * a brand, a masked account or an expiry really is.
 */

/** `method: boleto`, with no other field. */
export class BoletoPaymentMethodRequest {
  @ApiProperty({ enum: ['boleto'], example: 'boleto' })
  @IsIn(['boleto'])
  readonly method!: 'boleto';
}

/** A card, as the payment gateway's token plus what the portal shows. */
export class CreditCardPaymentMethodRequest {
  @ApiProperty({ enum: ['credit_card'], example: 'credit_card' })
  @IsIn(['credit_card'])
  readonly method!: 'credit_card';

  @ApiProperty({
    example: 'tok_9f8e7d6c5b4a',
    maxLength: 255,
    description: "The gateway's token, never the number.",
  })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  readonly cardToken!: string;

  @ApiProperty({ example: 'Visa', maxLength: 30 })
  @IsString()
  @MinLength(1)
  @MaxLength(30)
  readonly brand!: string;

  @ApiProperty({ example: '4242', minLength: 4, maxLength: 4 })
  @IsString()
  @MinLength(4)
  @MaxLength(4)
  readonly last4!: string;

  @ApiProperty({ example: 12, minimum: 1, maximum: 12 })
  @IsInt()
  readonly expMonth!: number;

  @ApiProperty({ example: 2030 })
  @IsInt()
  readonly expYear!: number;
}

/** Débito em conta: the bank's display fields and the gateway's debit token. */
export class DirectDebitPaymentMethodRequest {
  @ApiProperty({ enum: ['direct_debit'], example: 'direct_debit' })
  @IsIn(['direct_debit'])
  readonly method!: 'direct_debit';

  @ApiProperty({ example: 'Banco do Brasil', maxLength: 60 })
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  readonly bank!: string;

  @ApiProperty({ example: '1234-5', maxLength: 6, description: 'Four digits, optionally a check digit.' })
  @IsString()
  @MinLength(1)
  @MaxLength(6)
  readonly agency!: string;

  @ApiProperty({ example: '*****-67', maxLength: 32, description: 'At most 4 digits of the account shown.' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  readonly maskedAccount!: string;

  @ApiProperty({ example: 'dd_tok_1a2b3c', maxLength: 255 })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  readonly debitToken!: string;
}

/** A payment method as a client sends it (PUT /contracts/:id/payment-method, PUT /services/:id/payment-method). */
export type PaymentMethodRequest =
  BoletoPaymentMethodRequest | CreditCardPaymentMethodRequest | DirectDebitPaymentMethodRequest;

/** What a body whose `method` is missing or unknown is checked against: only that `method` is wrong. */
class PaymentMethodKindRequest {
  @IsIn(PAYMENT_METHOD_KINDS)
  readonly method!: PaymentMethodKind;
}

const REQUEST_CLASS: Readonly<Record<PaymentMethodKind, new () => PaymentMethodRequest>> = {
  boleto: BoletoPaymentMethodRequest,
  credit_card: CreditCardPaymentMethodRequest,
  direct_debit: DirectDebitPaymentMethodRequest,
};

const methodOf = (body: unknown): unknown =>
  typeof body === 'object' && body !== null ? (body as { method?: unknown }).method : undefined;

const isKind = (method: unknown): method is PaymentMethodKind =>
  (PAYMENT_METHOD_KINDS as readonly unknown[]).includes(method);

/**
 * `@Body(PaymentMethodPipe) body: PaymentMethodRequest`: validates the body as the class of its `method`, with the
 * global pipe's rules (unknown fields refused, 400 VALIDATION_FAILED per field). The declared type is a union,
 * which the global pipe leaves alone, so this is the one validation the body gets.
 */
@Injectable()
export class PaymentMethodPipe implements PipeTransform<unknown, Promise<PaymentMethodRequest>> {
  private readonly validation = createValidationPipe();

  async transform(body: unknown, metadata: ArgumentMetadata): Promise<PaymentMethodRequest> {
    const method = methodOf(body);
    // Which fields are unknown depends on the method: without a known one, only `method` is reported (and
    // this validation always fails).
    const [value, metatype] = isKind(method)
      ? [body, REQUEST_CLASS[method]]
      : [{ method }, PaymentMethodKindRequest];
    return (await this.validation.transform(value, { ...metadata, metatype })) as PaymentMethodRequest;
  }
}

/** Documents a payment-method body: one of the three shapes, told apart by `method`. */
export const ApiPaymentMethodBody = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiExtraModels(
      BoletoPaymentMethodRequest,
      CreditCardPaymentMethodRequest,
      DirectDebitPaymentMethodRequest,
    ),
    ApiBody({
      description:
        'Exactly the fields of the chosen `method`; anything else (a card number, a CVV) is a 400 that never ' +
        'repeats the value.',
      schema: {
        oneOf: [
          { $ref: getSchemaPath(BoletoPaymentMethodRequest) },
          { $ref: getSchemaPath(CreditCardPaymentMethodRequest) },
          { $ref: getSchemaPath(DirectDebitPaymentMethodRequest) },
        ],
        discriminator: {
          propertyName: 'method',
          mapping: {
            boleto: getSchemaPath(BoletoPaymentMethodRequest),
            credit_card: getSchemaPath(CreditCardPaymentMethodRequest),
            direct_debit: getSchemaPath(DirectDebitPaymentMethodRequest),
          },
        },
      },
    }),
  );

/** The domain's input for a validated body, field by field (the domain parses it again, as of the command's time). */
export const toPaymentMethodInput = (request: PaymentMethodRequest): PaymentMethodInput => {
  switch (request.method) {
    case 'boleto':
      return { method: 'boleto' };
    case 'credit_card':
      return {
        method: 'credit_card',
        cardToken: request.cardToken,
        brand: request.brand,
        last4: request.last4,
        expMonth: request.expMonth,
        expYear: request.expYear,
      };
    case 'direct_debit':
      return {
        method: 'direct_debit',
        bank: request.bank,
        agency: request.agency,
        maskedAccount: request.maskedAccount,
        debitToken: request.debitToken,
      };
    default: {
      const _exhaustive: never = request;
      return _exhaustive;
    }
  }
};

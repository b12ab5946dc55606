import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { BILLING_CYCLES, SERVICE_KINDS, type BillingCycle, type ServiceKind } from '@app/domain';
import { ID_PATTERN } from '../../http';

/**
 * POST /contracts/:id/services. Shapes only: the domain decides what a valid price is and which kinds take a
 * parent (add-ons, whose parent must not be an add-on).
 */
export class OrderServiceRequest {
  @ApiProperty({ enum: SERVICE_KINDS, example: 'shared_hosting' })
  @IsIn(SERVICE_KINDS)
  readonly kind!: ServiceKind;

  @ApiProperty({ example: 'Hospedagem Plus', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  readonly plan!: string;

  @ApiProperty({ enum: BILLING_CYCLES, example: 'monthly' })
  @IsIn(BILLING_CYCLES)
  readonly billingCycle!: BillingCycle;

  @ApiProperty({
    example: 2990,
    description:
      'The monthly price in cents (more than zero); a cycle is billed its months times this price.',
  })
  @IsInt()
  readonly priceCents!: number;

  @ApiPropertyOptional({
    example: '3f0c8a4e-2b1d-4e5f-9a6b-7c8d9e0f1a2b',
    description: 'For an add-on: the service of the same contract it hangs off.',
  })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: 'parentServiceId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly parentServiceId?: string;
}

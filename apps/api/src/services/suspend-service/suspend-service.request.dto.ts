import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { SuspensionReason } from '@app/domain';

/**
 * The reasons staff suspend a service for by hand (administrative suspensions, lifted only by staff). Non-payment
 * is the billing clock's, which names the unpaid invoice; `parent_suspended` is the add-ons reactor's.
 */
export const STAFF_SUSPENSION_REASONS = [
  'abuse',
  'terms_of_service',
  'other',
] as const satisfies readonly SuspensionReason[];

/** POST /services/:id/suspension. */
export class SuspendServiceRequest {
  @ApiProperty({ enum: STAFF_SUSPENSION_REASONS, example: 'abuse' })
  @IsIn(STAFF_SUSPENSION_REASONS)
  readonly reason!: (typeof STAFF_SUSPENSION_REASONS)[number];

  @ApiPropertyOptional({ example: 'Envio de spam reportado pelo CERT.br', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  readonly note?: string;
}

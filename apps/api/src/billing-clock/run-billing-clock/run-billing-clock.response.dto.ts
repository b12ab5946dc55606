import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BILLING_CLOCK_RULES } from '@app/billing-clock';

/** What a billing clock run did: per rule, the commands that changed something. */
export class BillingClockRunResponse {
  @ApiProperty({ example: '2026-12-01T03:00:00.000Z' })
  readonly at!: string;

  @ApiProperty({ example: '2026-12-01', description: 'The Sao Paulo day the run counts its days in.' })
  readonly day!: string;

  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(
      BILLING_CLOCK_RULES.map((rule) => [rule, { type: 'integer', example: 0 }]),
    ),
    example: Object.fromEntries(BILLING_CLOCK_RULES.map((rule) => [rule, 0])),
  })
  readonly counts!: Record<string, number>;

  @ApiPropertyOptional({
    description: 'Log position of the last event the run appended (for X-Min-Position).',
  })
  readonly position?: string;
}

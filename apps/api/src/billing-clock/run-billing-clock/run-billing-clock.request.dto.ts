import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** POST /admin/billing-clock/runs: the instant to run as of; now when absent. The domain parses the instant. */
export class RunBillingClockRequest {
  @ApiPropertyOptional({
    example: '2026-12-01T03:00:00.000Z',
    description: 'ISO-8601 instant with an offset.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  readonly at?: string;
}

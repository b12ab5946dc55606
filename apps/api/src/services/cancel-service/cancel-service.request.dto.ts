import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { CANCELLATION_TIMINGS, type CancellationTiming } from '@app/domain';

/** POST /services/:id/cancellation: when it takes effect and why. */
export class CancelServiceRequest {
  @ApiProperty({
    enum: CANCELLATION_TIMINGS,
    example: 'end_of_period',
    description: '`immediate`, or at the end of the period already paid (the next due date).',
  })
  @IsIn(CANCELLATION_TIMINGS)
  readonly when!: CancellationTiming;

  @ApiProperty({ example: 'Migrando para outro provedor', maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  readonly reason!: string;
}

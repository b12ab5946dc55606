import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** POST /callbacks/:id/outcome: how the call went, recorded by staff. */
export class RecordCallbackOutcomeRequest {
  @ApiProperty({ example: 'unreachable', description: '`completed` or `unreachable`.' })
  @IsString()
  @MaxLength(32)
  readonly outcome!: string;

  @ApiPropertyOptional({ example: 3, description: 'For `unreachable`: how many calls nobody answered.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  readonly attempts?: number;

  @ApiPropertyOptional({ example: 'Caixa postal nas três tentativas.', maxLength: 1_000 })
  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  readonly note?: string;
}

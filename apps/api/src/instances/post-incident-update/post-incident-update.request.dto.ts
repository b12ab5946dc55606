import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** POST /instances/:id/incidents/:incidentId/updates: news on an open incident. */
export class PostIncidentUpdateRequest {
  @ApiProperty({ example: 'Identificamos a causa; a correção está em andamento.', maxLength: 5_000 })
  @IsString()
  @MaxLength(5_000)
  readonly message!: string;

  @ApiPropertyOptional({
    example: 'outage',
    description: 'The impact from now on, `degraded` or `outage`; unchanged when absent.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  readonly impact?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** POST /instances/:id/incidents/:incidentId/resolution: the incident is over. */
export class ResolveIncidentRequest {
  @ApiPropertyOptional({ example: 'Disco substituído; serviço normalizado.', maxLength: 5_000 })
  @IsOptional()
  @IsString()
  @MaxLength(5_000)
  readonly message?: string;
}

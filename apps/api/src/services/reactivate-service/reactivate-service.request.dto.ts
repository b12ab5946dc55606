import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** DELETE /services/:id/suspension: an optional word on why staff lift it. */
export class ReactivateServiceRequest {
  @ApiPropertyOptional({ example: 'Conteúdo removido pelo cliente', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  readonly reason?: string;
}

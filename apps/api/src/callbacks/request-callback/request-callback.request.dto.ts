import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** POST /contracts/:id/callbacks ("Nós ligamos para você"). Shapes only: the contract decides the phone. */
export class RequestCallbackRequest {
  @ApiProperty({
    example: '+5511987654321',
    description: 'One of the contract’s phones, E.164 or as usually written.',
  })
  @IsString()
  @MaxLength(32)
  readonly phone!: string;

  @ApiPropertyOptional({ example: 'Migração de site', maxLength: 1_000 })
  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  readonly topic?: string;
}

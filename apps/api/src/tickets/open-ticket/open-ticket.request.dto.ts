import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ID_PATTERN } from '../../http';

/** POST /contracts/:id/tickets. Shapes only: the domain decides departments, priorities and text limits. */
export class OpenTicketRequest {
  @ApiProperty({ example: 'Site fora do ar', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  readonly subject!: string;

  @ApiProperty({ example: 'technical', description: '`technical`, `billing` or `sales`.' })
  @IsString()
  @MaxLength(32)
  readonly department!: string;

  @ApiProperty({ example: 'high', description: '`low`, `medium` or `high`.' })
  @IsString()
  @MaxLength(32)
  readonly priority!: string;

  @ApiProperty({ example: 'O site não abre desde ontem à noite.', maxLength: 20_000 })
  @IsString()
  @MaxLength(20_000)
  readonly message!: string;

  @ApiPropertyOptional({
    example: '3f0c8a4e-2b1d-4e5f-9a6b-7c8d9e0f1a2b',
    description: 'A service of this contract the ticket is about.',
  })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: 'serviceId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly serviceId?: string;
}

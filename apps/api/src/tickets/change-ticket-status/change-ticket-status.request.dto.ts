import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** PUT /tickets/:id/status: what staff set by hand. */
export class ChangeTicketStatusRequest {
  @ApiProperty({ example: 'in_progress', description: '`in_progress` or `on_hold`.' })
  @IsString()
  @MaxLength(32)
  readonly status!: string;
}

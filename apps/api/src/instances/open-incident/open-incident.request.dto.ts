import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** POST /instances/:id/incidents: every contract with a service on the instance sees it while it is open. */
export class OpenIncidentRequest {
  @ApiProperty({ example: 'Lentidão no acesso aos sites', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  readonly title!: string;

  @ApiProperty({ example: 'degraded', description: '`degraded` or `outage`.' })
  @IsString()
  @MaxLength(32)
  readonly impact!: string;
}

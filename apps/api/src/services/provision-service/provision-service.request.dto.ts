import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { ID_PATTERN } from '../../http';

/** POST /services/:id/provisioning: the registered instance (server) the service now runs on. */
export class ProvisionServiceRequest {
  @ApiProperty({ example: 'srv-sp-01' })
  @IsString()
  @Matches(ID_PATTERN, { message: 'instanceId must be 1 to 64 letters, digits, "_" or "-"' })
  readonly instanceId!: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** POST /instances: a server for the public status page. Shapes only: the domain decides kinds and lengths. */
export class RegisterInstanceRequest {
  @ApiProperty({ example: 'web01.sp', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  readonly name!: string;

  @ApiProperty({ example: 'shared', description: '`shared`, `cloud` or `dedicated`.' })
  @IsString()
  @MaxLength(32)
  readonly kind!: string;

  @ApiProperty({ example: 'São Paulo 1', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  readonly datacenter!: string;
}

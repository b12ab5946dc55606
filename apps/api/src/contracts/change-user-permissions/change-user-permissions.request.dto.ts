import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, MaxLength } from 'class-validator';

/** PUT /contracts/:id/users/:userId/permissions: the user's whole new set. Names are checked by the domain. */
export class ChangeUserPermissionsRequest {
  @ApiProperty({
    example: ['services.view', 'tickets'],
    description: 'Replaces every permission the user had; any of the 13 names, possibly none.',
  })
  @IsArray()
  @ArrayMaxSize(13)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  readonly permissions!: string[];
}

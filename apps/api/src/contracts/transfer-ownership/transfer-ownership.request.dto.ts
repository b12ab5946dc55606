import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** POST /contracts/:id/ownership-transfer: the user (already on the contract) who becomes its owner. */
export class TransferOwnershipRequest {
  @ApiProperty({
    example: 'user-42',
    maxLength: 128,
    description: "The user's login id (the token's `sub`).",
  })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  readonly newOwnerUserId!: string;
}

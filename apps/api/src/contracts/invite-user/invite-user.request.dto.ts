import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, MaxLength } from 'class-validator';

/** POST /contracts/:id/invitations. Shapes only: the domain decides what an e-mail and a permission are. */
export class InviteUserRequest {
  @ApiProperty({ example: 'joao@exemplo.com.br', maxLength: 254 })
  @IsString()
  @MaxLength(254)
  readonly email!: string;

  @ApiProperty({
    example: ['billing', 'tickets'],
    description:
      'Any of the 13: `main-account`, `contacts`, `services.view`, `services.manage`, `services.sso`, ' +
      '`domains.view`, `domains.manage`, `billing`, `quotes`, `tickets`, `affiliate`, `communications`, `orders`.',
  })
  @IsArray()
  @ArrayMaxSize(13)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  readonly permissions!: string[];
}

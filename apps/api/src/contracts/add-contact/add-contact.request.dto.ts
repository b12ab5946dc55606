import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, MaxLength, MinLength } from 'class-validator';

/** POST /contracts/:id/contacts: an address that receives notifications of its categories. */
export class AddContactRequest {
  @ApiProperty({ example: 'Financeiro', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  readonly name!: string;

  @ApiProperty({ example: 'financeiro@exemplo.com.br', maxLength: 254 })
  @IsString()
  @MaxLength(254)
  readonly email!: string;

  @ApiProperty({ example: ['billing'], description: '`billing`, `technical`, `commercial`.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  readonly categories!: string[];
}

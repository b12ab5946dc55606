import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';

/** POST /contracts. Shapes only: the domain decides what a valid CPF, CNPJ or phone is. */
export class OpenContractRequest {
  @ApiProperty({ example: 'Maria da Silva ME', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  readonly holderName!: string;

  @ApiProperty({
    example: '529.982.247-25',
    description: 'CPF (11 digits) or CNPJ (14), digits or punctuated.',
  })
  @IsString()
  @MaxLength(32)
  readonly document!: string;

  @ApiProperty({ example: ['+5511987654321'], description: 'Brazilian phone numbers, E.164.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  readonly phones!: string[];

  @ApiPropertyOptional({ example: 'Maria', description: 'How the owner is addressed.', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  readonly ownerName?: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** POST /tickets/:id/messages: a customer's or a staff member's message; who wrote it comes from the token. */
export class ReplyToTicketRequest {
  @ApiProperty({ example: 'Reiniciamos o servidor; pode verificar?', maxLength: 20_000 })
  @IsString()
  @MaxLength(20_000)
  readonly message!: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { CommandAnswer } from '../../commands/command-answer';

/** A cancellation's answer: the command's, plus the protocol number the customer quotes. */
export class CancellationAnswer extends CommandAnswer {
  @ApiProperty({ example: '4821093365120744', description: 'The cancellation protocol number (16 digits).' })
  readonly protocolNumber!: string;
}

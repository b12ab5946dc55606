import { ApiProperty } from '@nestjs/swagger';
import type { CommandResult } from '@app/command-handling';
import type { EventStore, Position } from '@app/event-store';

/** What every command answers: the id of what it acted on and the log position of its events. */
export class CommandAnswer {
  @ApiProperty({ example: '3f0c8a4e-2b1d-4e5f-9a6b-7c8d9e0f1a2b' })
  readonly id!: string;

  @ApiProperty({
    example: '00000000000002f1-0000000000000a3c',
    description:
      'Log position of the events the command appended (the stream head when it changed nothing): send it as ' +
      'X-Min-Position to read your own write.',
  })
  readonly position!: string;
}

/**
 * The answer for a command's result. A command that changed nothing still answers a position: its stream's head,
 * so a client can wait for read models as after any other command.
 */
export const answerOf = async (
  eventStore: EventStore,
  streamName: string,
  id: string,
  result: Pick<CommandResult<never, unknown>, 'position'>,
): Promise<CommandAnswer> => {
  const position: Position | undefined =
    result.position ??
    (await eventStore.readStream(streamName, { direction: 'backwards', maxCount: 1 }))[0]?.position;
  return { id, position: position ?? '' };
};

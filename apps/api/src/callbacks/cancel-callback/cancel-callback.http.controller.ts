import { Body, Controller, Delete, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, EmptyBodyPipe, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { CancelCallbackCommand } from './cancel-callback.handler';

@ApiTags('callbacks')
@Controller('callbacks/:id')
export class CancelCallbackHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel a call-back request (its requester only).' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  cancel(
    @Param('id', ParseIdPipe) callbackId: string,
    @Body(EmptyBodyPipe) _body: unknown,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new CancelCallbackCommand(callbackId, context));
  }
}

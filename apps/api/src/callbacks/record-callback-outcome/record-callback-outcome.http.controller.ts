import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { RecordCallbackOutcomeCommand } from './record-callback-outcome.handler';
import { RecordCallbackOutcomeRequest } from './record-callback-outcome.request.dto';

@ApiTags('callbacks')
@Controller('callbacks/:id/outcome')
export class RecordCallbackOutcomeHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Record how a call-back went: completed or unreachable (support).' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  record(
    @Param('id', ParseIdPipe) callbackId: string,
    @Body() body: RecordCallbackOutcomeRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new RecordCallbackOutcomeCommand(callbackId, body, context));
  }
}

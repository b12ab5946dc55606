import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { RequestCallbackCommand } from './request-callback.handler';
import { RequestCallbackRequest } from './request-callback.request.dto';

@ApiTags('callbacks')
@Controller('contracts/:id/callbacks')
export class RequestCallbackHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary:
      'Ask to be called on one of the contract’s phones (permission `tickets`); one open request per user and ' +
      'contract (422 CALLBACK_ALREADY_OPEN).',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({ type: CommandAnswer })
  request(
    @Param('id', ParseIdPipe) contractId: string,
    @Body() body: RequestCallbackRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new RequestCallbackCommand(contractId, body, context));
  }
}

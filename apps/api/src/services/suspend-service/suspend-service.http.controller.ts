import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { SuspendServiceCommand } from './suspend-service.handler';
import { SuspendServiceRequest } from './suspend-service.request.dto';

@ApiTags('services')
@Controller('services/:id/suspension')
export class SuspendServiceHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Suspend a service administratively (billing staff): abuse, terms of service or other. Only staff lift it.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  suspend(
    @Param('id', ParseIdPipe) serviceId: string,
    @Body() body: SuspendServiceRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new SuspendServiceCommand(serviceId, body, context));
  }
}

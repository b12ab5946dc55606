import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { ProvisionServiceCommand } from './provision-service.handler';
import { ProvisionServiceRequest } from './provision-service.request.dto';

@ApiTags('services')
@Controller('services/:id/provisioning')
export class ProvisionServiceHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Record that a pending service runs on a registered instance (admin); once paid, it is active.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  provision(
    @Param('id', ParseIdPipe) serviceId: string,
    @Body() body: ProvisionServiceRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new ProvisionServiceCommand(serviceId, body, context));
  }
}

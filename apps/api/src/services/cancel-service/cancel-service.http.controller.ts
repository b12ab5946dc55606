import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { CancellationAnswer } from './cancellation.answer';
import { CancelServiceCommand } from './cancel-service.handler';
import { CancelServiceRequest } from './cancel-service.request.dto';

@ApiTags('services')
@Controller('services/:id/cancellation')
export class CancelServiceHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Cancel a service, now or at the end of the paid period (permission `orders`, or billing staff); ' +
      'answers the protocol number.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CancellationAnswer })
  cancel(
    @Param('id', ParseIdPipe) serviceId: string,
    @Body() body: CancelServiceRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CancellationAnswer> {
    return this.commandBus.execute(new CancelServiceCommand(serviceId, body, context));
  }
}

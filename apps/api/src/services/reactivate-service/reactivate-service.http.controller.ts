import { Body, Controller, Delete, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { ReactivateServiceCommand } from './reactivate-service.handler';
import { ReactivateServiceRequest } from './reactivate-service.request.dto';

@ApiTags('services')
@Controller('services/:id/suspension')
export class ReactivateServiceHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Lift a suspension, whatever its cause (billing staff).' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  reactivate(
    @Param('id', ParseIdPipe) serviceId: string,
    @Body() body: ReactivateServiceRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new ReactivateServiceCommand(serviceId, body, context));
  }
}

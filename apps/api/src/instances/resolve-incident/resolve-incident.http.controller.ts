import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { ResolveIncidentCommand } from './resolve-incident.handler';
import { ResolveIncidentRequest } from './resolve-incident.request.dto';

@ApiTags('instances')
@Controller('instances/:id/incidents/:incidentId/resolution')
export class ResolveIncidentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Resolve an incident, optionally saying what happened (admin).' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  resolve(
    @Param('id', ParseIdPipe) instanceId: string,
    @Param('incidentId', ParseIdPipe) incidentId: string,
    @Body() body: ResolveIncidentRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new ResolveIncidentCommand(instanceId, incidentId, body, context));
  }
}

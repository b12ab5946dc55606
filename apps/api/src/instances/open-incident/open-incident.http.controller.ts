import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { OpenIncidentCommand } from './open-incident.handler';
import { OpenIncidentRequest } from './open-incident.request.dto';

@ApiTags('instances')
@Controller('instances/:id/incidents')
export class OpenIncidentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Open an incident on a server (admin); answers the incident id.' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({ type: CommandAnswer })
  open(
    @Param('id', ParseIdPipe) instanceId: string,
    @Body() body: OpenIncidentRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new OpenIncidentCommand(instanceId, body, context));
  }
}

import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { PostIncidentUpdateCommand } from './post-incident-update.handler';
import { PostIncidentUpdateRequest } from './post-incident-update.request.dto';

@ApiTags('instances')
@Controller('instances/:id/incidents/:incidentId/updates')
export class PostIncidentUpdateHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Post news on an open incident, optionally changing its impact (admin).' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  post(
    @Param('id', ParseIdPipe) instanceId: string,
    @Param('incidentId', ParseIdPipe) incidentId: string,
    @Body() body: PostIncidentUpdateRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new PostIncidentUpdateCommand(instanceId, incidentId, body, context));
  }
}

import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { OpenTicketCommand } from './open-ticket.handler';
import { OpenTicketRequest } from './open-ticket.request.dto';

@ApiTags('tickets')
@Controller('contracts/:id/tickets')
export class OpenTicketHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Open a support ticket with its first message (permission `tickets`).' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({ type: CommandAnswer })
  open(
    @Param('id', ParseIdPipe) contractId: string,
    @Body() body: OpenTicketRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new OpenTicketCommand(contractId, body, context));
  }
}

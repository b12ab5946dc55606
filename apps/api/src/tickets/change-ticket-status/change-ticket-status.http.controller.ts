import { Body, Controller, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { ChangeTicketStatusCommand } from './change-ticket-status.handler';
import { ChangeTicketStatusRequest } from './change-ticket-status.request.dto';

@ApiTags('tickets')
@Controller('tickets/:id/status')
export class ChangeTicketStatusHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Set a ticket In Progress or On Hold (support).' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  change(
    @Param('id', ParseIdPipe) ticketId: string,
    @Body() body: ChangeTicketStatusRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new ChangeTicketStatusCommand(ticketId, body, context));
  }
}

import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { ReplyToTicketCommand } from './reply-to-ticket.handler';
import { ReplyToTicketRequest } from './reply-to-ticket.request.dto';

@ApiTags('tickets')
@Controller('tickets/:id/messages')
export class ReplyToTicketHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Add a message (permission `tickets`, or support): a staff reply makes the ticket Answered, a customer ' +
      'reply Customer-Reply; a customer reply reopens a closed ticket.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  reply(
    @Param('id', ParseIdPipe) ticketId: string,
    @Body() body: ReplyToTicketRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new ReplyToTicketCommand(ticketId, body, context));
  }
}

import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { InviteUserCommand } from './invite-user.handler';
import { InviteUserRequest } from './invite-user.request.dto';

@ApiTags('contracts')
@Controller('contracts/:id/invitations')
export class InviteUserHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary:
      'Invite an e-mail address to become a user with these permissions (owner only); valid 168 hours.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({ type: CommandAnswer, description: '`id` is the invitation id.' })
  invite(
    @Param('id', ParseIdPipe) contractId: string,
    @Body() body: InviteUserRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new InviteUserCommand(contractId, body, context));
  }
}

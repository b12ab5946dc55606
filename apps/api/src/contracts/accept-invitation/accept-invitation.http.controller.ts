import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, EmptyBodyPipe, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { AcceptInvitationCommand } from './accept-invitation.handler';

@ApiTags('contracts')
@Controller('contracts/:id/invitations/:invitationId/acceptance')
export class AcceptInvitationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Accept an invitation as the logged-in user, whose e-mail must be the invited one (403 ' +
      'INVITATION_NOT_FOR_YOU otherwise).',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer, description: '`id` is the invitation id.' })
  accept(
    @Param('id', ParseIdPipe) contractId: string,
    @Param('invitationId', ParseIdPipe) invitationId: string,
    @Body(EmptyBodyPipe) _body: unknown,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new AcceptInvitationCommand(contractId, invitationId, context));
  }
}

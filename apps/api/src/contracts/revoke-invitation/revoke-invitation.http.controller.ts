import { Body, Controller, Delete, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, EmptyBodyPipe, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { RevokeInvitationCommand } from './revoke-invitation.handler';

@ApiTags('contracts')
@Controller('contracts/:id/invitations')
export class RevokeInvitationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':invitationId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Withdraw a pending invitation (owner only).' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer, description: '`id` is the invitation id.' })
  revoke(
    @Param('id', ParseIdPipe) contractId: string,
    @Param('invitationId', ParseIdPipe) invitationId: string,
    @Body(EmptyBodyPipe) _body: unknown,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new RevokeInvitationCommand(contractId, invitationId, context));
  }
}

import { Body, Controller, Delete, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, EmptyBodyPipe, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { RemoveUserCommand } from './remove-user.handler';

@ApiTags('contracts')
@Controller('contracts/:id/users')
export class RemoveUserHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':userId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Remove a user from the contract (owner only). The owner is never removed (422 OWNER_NOT_EDITABLE), nor ' +
      'does anyone remove themself (422 CANNOT_EDIT_SELF).',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer, description: '`id` is the user id.' })
  remove(
    @Param('id', ParseIdPipe) contractId: string,
    @Param('userId', ParseIdPipe) userId: string,
    @Body(EmptyBodyPipe) _body: unknown,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new RemoveUserCommand(contractId, userId, context));
  }
}

import { Body, Controller, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { ChangeUserPermissionsCommand } from './change-user-permissions.handler';
import { ChangeUserPermissionsRequest } from './change-user-permissions.request.dto';

@ApiTags('contracts')
@Controller('contracts/:id/users/:userId/permissions')
export class ChangeUserPermissionsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      "Replace a user's permissions (owner only). The owner's are never edited (422 OWNER_NOT_EDITABLE), nor " +
      'one’s own (422 CANNOT_EDIT_SELF).',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer, description: '`id` is the user id.' })
  change(
    @Param('id', ParseIdPipe) contractId: string,
    @Param('userId', ParseIdPipe) userId: string,
    @Body() body: ChangeUserPermissionsRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new ChangeUserPermissionsCommand(contractId, userId, body, context));
  }
}

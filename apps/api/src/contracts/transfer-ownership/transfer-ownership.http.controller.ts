import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { TransferOwnershipCommand } from './transfer-ownership.handler';
import { TransferOwnershipRequest } from './transfer-ownership.request.dto';

@ApiTags('contracts')
@Controller('contracts/:id/ownership-transfer')
export class TransferOwnershipHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Make an existing user the owner (staff role `admin`); the previous owner stays as a user with every ' +
      'permission.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer, description: '`id` is the contract id.' })
  transfer(
    @Param('id', ParseIdPipe) contractId: string,
    @Body() body: TransferOwnershipRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new TransferOwnershipCommand(contractId, body, context));
  }
}

import { Body, Controller, Delete, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, EmptyBodyPipe, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { RemoveContactCommand } from './remove-contact.handler';

@ApiTags('contracts')
@Controller('contracts/:id/contacts')
export class RemoveContactHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':contactId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Remove a notification contact (permission `contacts`).' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer, description: '`id` is the contact id.' })
  remove(
    @Param('id', ParseIdPipe) contractId: string,
    @Param('contactId', ParseIdPipe) contactId: string,
    @Body(EmptyBodyPipe) _body: unknown,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new RemoveContactCommand(contractId, contactId, context));
  }
}

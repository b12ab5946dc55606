import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { AddContactCommand } from './add-contact.handler';
import { AddContactRequest } from './add-contact.request.dto';

@ApiTags('contracts')
@Controller('contracts/:id/contacts')
export class AddContactHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Add a notification-only contact (permission `contacts`).' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({ type: CommandAnswer })
  add(
    @Param('id', ParseIdPipe) contractId: string,
    @Body() body: AddContactRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new AddContactCommand(contractId, body, context));
  }
}

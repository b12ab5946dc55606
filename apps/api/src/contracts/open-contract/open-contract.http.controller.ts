import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { OpenContractCommand } from './open-contract.handler';
import { OpenContractRequest } from './open-contract.request.dto';

@ApiTags('contracts')
@Controller('contracts')
export class OpenContractHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Open a contract; the caller becomes its owner, with every permission.' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({ type: CommandAnswer })
  open(@Body() body: OpenContractRequest, @CommandContext() context: CommandContext): Promise<CommandAnswer> {
    return this.commandBus.execute(new OpenContractCommand(body, context));
  }
}

import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { IssueNotaFiscalCommand } from './issue-nota-fiscal.handler';
import { NoFieldsPipe } from './no-fields.pipe';

@ApiTags('invoices')
@Controller('invoices/:id/nota-fiscal')
export class IssueNotaFiscalHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Issue the nota fiscal of a paid invoice now, before the billing clock does (permission `billing`, or ' +
      'billing staff). At most one per invoice: asking again changes nothing.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  issue(
    @Param('id', ParseIdPipe) invoiceId: string,
    @Body(NoFieldsPipe) _body: undefined,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new IssueNotaFiscalCommand(invoiceId, context));
  }
}

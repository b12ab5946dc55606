import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { RecordPaymentCommand } from './record-payment.handler';
import { RecordPaymentRequest } from './record-payment.request.dto';

@ApiTags('invoices')
@Controller('invoices/:id/payments')
export class RecordPaymentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Record a gateway payment of an open invoice (billing staff): the exact open amount, once per transaction.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  record(
    @Param('id', ParseIdPipe) invoiceId: string,
    @Body() body: RecordPaymentRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new RecordPaymentCommand(invoiceId, body, context));
  }
}

import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { RefundInvoiceCommand } from './refund-invoice.handler';
import { RefundInvoiceRequest } from './refund-invoice.request.dto';

@ApiTags('invoices')
@Controller('invoices/:id/refund')
export class RefundInvoiceHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Refund a paid invoice (billing staff); its nota fiscal, if any, is cancelled with it.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  refund(
    @Param('id', ParseIdPipe) invoiceId: string,
    @Body() body: RefundInvoiceRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new RefundInvoiceCommand(invoiceId, body, context));
  }
}

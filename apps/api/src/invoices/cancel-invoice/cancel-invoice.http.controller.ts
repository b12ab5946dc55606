import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { CancelInvoiceCommand } from './cancel-invoice.handler';
import { CancelInvoiceRequest } from './cancel-invoice.request.dto';

@ApiTags('invoices')
@Controller('invoices/:id/cancellation')
export class CancelInvoiceHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel an open or overdue invoice (billing staff).' })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  cancel(
    @Param('id', ParseIdPipe) invoiceId: string,
    @Body() body: CancelInvoiceRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new CancelInvoiceCommand(invoiceId, body, context));
  }
}

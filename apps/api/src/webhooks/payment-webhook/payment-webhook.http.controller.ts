import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CorrelationId, Public } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { PaymentWebhookCommand } from './payment-webhook.handler';
import { PaymentWebhookRequest } from './payment-webhook.request.dto';
import { PaymentWebhookSignatureGuard, SIGNATURE_HEADER } from './payment-webhook-signature.guard';

@ApiTags('webhooks')
@Controller('webhooks/payments')
export class PaymentWebhookHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @Public()
  @UseGuards(PaymentWebhookSignatureGuard)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      "The payment gateway reports a settled payment. No bearer token: the gateway's signature instead (401 " +
      'when missing or not that of the body received). A repeated delivery of a transaction changes nothing ' +
      'and gets the same answer.',
  })
  @ApiHeader({
    name: SIGNATURE_HEADER,
    required: true,
    description: 'Hex HMAC-SHA256 of the raw request body, keyed with PAYMENT_WEBHOOK_SECRET.',
  })
  @ApiOkResponse({ type: CommandAnswer })
  receive(
    @Body() body: PaymentWebhookRequest,
    @CorrelationId() correlationId: string,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new PaymentWebhookCommand(body, correlationId));
  }
}

import { Body, Controller, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import {
  ApiPaymentMethodBody,
  PaymentMethodPipe,
  type PaymentMethodRequest,
} from '../../commands/payment-method.request.dto';
import { ChangeDefaultPaymentMethodCommand } from './change-default-payment-method.handler';

@ApiTags('contracts')
@Controller('contracts/:id/payment-method')
export class ChangeDefaultPaymentMethodHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      "Change the contract's default payment method (permission `billing`): boleto, a card's gateway token, or " +
      'direct debit.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiPaymentMethodBody()
  @ApiOkResponse({ type: CommandAnswer, description: '`id` is the contract id.' })
  change(
    @Param('id', ParseIdPipe) contractId: string,
    @Body(PaymentMethodPipe) body: PaymentMethodRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new ChangeDefaultPaymentMethodCommand(contractId, body, context));
  }
}

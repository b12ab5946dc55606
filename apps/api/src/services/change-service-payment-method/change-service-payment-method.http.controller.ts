import { Body, Controller, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { ChangeServicePaymentMethodCommand } from './change-service-payment-method.handler';
import { ServicePaymentMethodRequest } from './service-payment-method.request.dto';

@ApiTags('services')
@Controller('services/:id/payment-method')
export class ChangeServicePaymentMethodHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      "Give a service its own payment method, or send no method to use the contract's default (permission " +
      '`billing`). Only gateway tokens and display fields: a card number or CVV is a 400.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiOkResponse({ type: CommandAnswer })
  change(
    @Param('id', ParseIdPipe) serviceId: string,
    @Body() body: ServicePaymentMethodRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new ChangeServicePaymentMethodCommand(serviceId, body, context));
  }
}

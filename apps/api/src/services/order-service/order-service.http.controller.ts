import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, ParseIdPipe } from '../../http';
import { CommandAnswer } from '../../commands/command-answer';
import { IDEMPOTENCY_KEY_HEADER } from '../../commands/idempotency-key.header';
import { OrderServiceCommand } from './order-service.handler';
import { OrderServiceRequest } from './order-service.request.dto';

@ApiTags('services')
@Controller('contracts/:id/services')
export class OrderServiceHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Order a service (permission `orders`); it is pending until its first payment and provisioning.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({ type: CommandAnswer })
  order(
    @Param('id', ParseIdPipe) contractId: string,
    @Body() body: OrderServiceRequest,
    @CommandContext() context: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commandBus.execute(new OrderServiceCommand(contractId, body, context));
  }
}

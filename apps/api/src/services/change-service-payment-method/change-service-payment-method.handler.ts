import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { serviceDecider, serviceStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { authorizeOnService } from '../service-access';
import { paymentMethodInputOf, type ServicePaymentMethodRequest } from './service-payment-method.request.dto';

export class ChangeServicePaymentMethodCommand {
  constructor(
    readonly serviceId: string,
    readonly request: ServicePaymentMethodRequest,
    readonly context: CommandContext,
  ) {}
}

/** A member with `billing` gives a service its own payment method, or returns it to the contract's default. */
@CommandHandler(ChangeServicePaymentMethodCommand)
export class ChangeServicePaymentMethodHandler implements ICommandHandler<
  ChangeServicePaymentMethodCommand,
  CommandAnswer
> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ serviceId, request, context }: ChangeServicePaymentMethodCommand): Promise<CommandAnswer> {
    await authorizeOnService(this.sender, context.caller, serviceId, 'changeServicePaymentMethod');
    return this.sender.send(
      serviceDecider,
      serviceStream(serviceId),
      { type: 'ChangeServicePaymentMethod', data: { paymentMethod: paymentMethodInputOf(request) } },
      context,
      serviceId,
    );
  }
}

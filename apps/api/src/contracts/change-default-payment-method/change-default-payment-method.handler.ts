import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { contractDecider, contractStream } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { toPaymentMethodInput, type PaymentMethodRequest } from '../../commands/payment-method.request.dto';

export class ChangeDefaultPaymentMethodCommand {
  constructor(
    readonly contractId: string,
    readonly request: PaymentMethodRequest,
    readonly context: CommandContext,
  ) {}
}

/** The contract's default method: what every service without its own pays with. */
@CommandHandler(ChangeDefaultPaymentMethodCommand)
export class ChangeDefaultPaymentMethodHandler implements ICommandHandler<
  ChangeDefaultPaymentMethodCommand,
  CommandAnswer
> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ contractId, request, context }: ChangeDefaultPaymentMethodCommand): Promise<CommandAnswer> {
    await this.sender.authorizeOnContract(context.caller, contractId, 'changeDefaultPaymentMethod');
    return this.sender.send(
      contractDecider,
      contractStream(contractId),
      { type: 'ChangeDefaultPaymentMethod', data: { paymentMethod: toPaymentMethodInput(request) } },
      context,
      contractId,
    );
  }
}

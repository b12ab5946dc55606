import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, serviceDecider, serviceStream, type ServiceKind } from '@app/domain';
import type { CommandContext } from '../../http';
import type { CommandAnswer } from '../../commands/command-answer';
import { CommandSender } from '../../commands/command-sender';
import { NO_SUCH_SERVICE, orderedService } from '../service-access';
import type { OrderServiceRequest } from './order-service.request.dto';

export class OrderServiceCommand {
  constructor(
    readonly contractId: string,
    readonly request: OrderServiceRequest,
    readonly context: CommandContext,
  ) {}
}

/** A member with `orders` orders a service on the contract; it is pending until paid and provisioned. */
@CommandHandler(OrderServiceCommand)
export class OrderServiceHandler implements ICommandHandler<OrderServiceCommand, CommandAnswer> {
  constructor(private readonly sender: CommandSender) {}

  async execute({ contractId, request, context }: OrderServiceCommand): Promise<CommandAnswer> {
    await this.sender.authorizeOnContract(context.caller, contractId, 'orderService');
    const parent =
      request.parentServiceId === undefined
        ? {}
        : {
            parentServiceId: request.parentServiceId,
            parentKind: await this.parentKind(contractId, request.parentServiceId),
          };
    const serviceId = context.entityId('service');
    return this.sender.send(
      serviceDecider,
      serviceStream(serviceId),
      {
        type: 'OrderService',
        data: {
          serviceId,
          contractId,
          kind: request.kind,
          plan: request.plan,
          billingCycle: request.billingCycle,
          priceCents: request.priceCents,
          ...parent,
        },
      },
      context,
      serviceId,
    );
  }

  /**
   * The parent's kind as its stream says, which the domain needs for an add-on's day rules. A parent of another
   * contract is answered as one that does not exist, so an order reveals nothing about other contracts.
   */
  private async parentKind(contractId: string, parentServiceId: string): Promise<ServiceKind> {
    const parent = await orderedService(this.sender, parentServiceId);
    if (parent.contractId !== contractId) throw new DomainError('NOT_FOUND', NO_SUCH_SERVICE);
    return parent.kind;
  }
}

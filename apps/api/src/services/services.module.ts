import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandSender } from '../commands/command-sender';
import { CancelServiceHandler } from './cancel-service/cancel-service.handler';
import { CancelServiceHttpController } from './cancel-service/cancel-service.http.controller';
import { ChangeServicePaymentMethodHandler } from './change-service-payment-method/change-service-payment-method.handler';
import { ChangeServicePaymentMethodHttpController } from './change-service-payment-method/change-service-payment-method.http.controller';
import { OrderServiceHandler } from './order-service/order-service.handler';
import { OrderServiceHttpController } from './order-service/order-service.http.controller';
import { ProvisionServiceHandler } from './provision-service/provision-service.handler';
import { ProvisionServiceHttpController } from './provision-service/provision-service.http.controller';
import { ReactivateServiceHandler } from './reactivate-service/reactivate-service.handler';
import { ReactivateServiceHttpController } from './reactivate-service/reactivate-service.http.controller';
import { SuspendServiceHandler } from './suspend-service/suspend-service.handler';
import { SuspendServiceHttpController } from './suspend-service/suspend-service.http.controller';

/** The services' commands: ordering, cancelling, payment method, provisioning, suspension and reactivation. */
@Module({
  imports: [CqrsModule],
  controllers: [
    OrderServiceHttpController,
    CancelServiceHttpController,
    ChangeServicePaymentMethodHttpController,
    ProvisionServiceHttpController,
    SuspendServiceHttpController,
    ReactivateServiceHttpController,
  ],
  providers: [
    CommandSender,
    OrderServiceHandler,
    CancelServiceHandler,
    ChangeServicePaymentMethodHandler,
    ProvisionServiceHandler,
    SuspendServiceHandler,
    ReactivateServiceHandler,
  ],
})
export class ServicesModule {}

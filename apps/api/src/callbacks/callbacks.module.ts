import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandSender } from '../commands/command-sender';
import { CallbackRequests } from './callback-requests';
import { CancelCallbackHandler } from './cancel-callback/cancel-callback.handler';
import { CancelCallbackHttpController } from './cancel-callback/cancel-callback.http.controller';
import { RecordCallbackOutcomeHandler } from './record-callback-outcome/record-callback-outcome.handler';
import { RecordCallbackOutcomeHttpController } from './record-callback-outcome/record-callback-outcome.http.controller';
import { RequestCallbackHandler } from './request-callback/request-callback.handler';
import { RequestCallbackHttpController } from './request-callback/request-callback.http.controller';

/** The call-back commands ("Nós ligamos para você"): asking for one, cancelling it, recording its outcome. */
@Module({
  imports: [CqrsModule],
  controllers: [
    RequestCallbackHttpController,
    CancelCallbackHttpController,
    RecordCallbackOutcomeHttpController,
  ],
  providers: [
    CommandSender,
    CallbackRequests,
    RequestCallbackHandler,
    CancelCallbackHandler,
    RecordCallbackOutcomeHandler,
  ],
})
export class CallbacksModule {}

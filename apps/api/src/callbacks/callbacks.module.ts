import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandSender } from '../commands/command-sender';

/** The callbacks commands. */
@Module({
  imports: [CqrsModule],
  controllers: [],
  providers: [CommandSender],
})
export class CallbacksModule {}

import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandSender } from '../commands/command-sender';

/** The instances commands. */
@Module({
  imports: [CqrsModule],
  controllers: [],
  providers: [CommandSender],
})
export class InstancesModule {}

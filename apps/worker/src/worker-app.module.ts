import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '@app/config';
import { InfrastructureModule, loggerParams } from '@app/platform';
import { WorkerModule } from './worker.module';

/** The worker as a process of its own, without HTTP. */
@Module({})
export class WorkerAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config)),
        InfrastructureModule.forRoot(config),
        WorkerModule,
      ],
    };
  }
}

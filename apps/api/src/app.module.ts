import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '@app/config';
import { InfrastructureModule, loggerParams, type DatabaseOpener } from '@app/platform';
import { WorkerModule } from '../../worker/src/worker.module';
import { HealthController } from './health/health.controller';

/** The HTTP API; with `runWorker` (the embedded default) the worker runs in the same process. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, openDatabase?: DatabaseOpener): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config)),
        InfrastructureModule.forRoot(config, openDatabase),
        ...(config.runWorker ? [WorkerModule] : []),
      ],
      controllers: [HealthController],
    };
  }
}

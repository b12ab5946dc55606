import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '@app/config';
import {
  InfrastructureModule,
  loggerParams,
  MetricsModule,
  type DatabaseOpener,
  type LoggerOptions,
} from '@app/platform';
import { WorkerModule } from '@app/worker-runtime';
import { WorkerMetricsServer } from './worker-metrics.server';

export type WorkerAppModuleOptions = Readonly<{
  /** How the database is opened; tests open one of their own. */
  openDatabase?: DatabaseOpener;
  logger?: LoggerOptions;
}>;

/** The worker as a process of its own, without HTTP. */
@Module({})
export class WorkerAppModule {
  static forRoot(config: AppConfig, { openDatabase, logger }: WorkerAppModuleOptions = {}): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config, logger)),
        InfrastructureModule.forRoot(config, openDatabase),
        MetricsModule,
        WorkerModule,
      ],
      providers: [WorkerMetricsServer],
    };
  }
}

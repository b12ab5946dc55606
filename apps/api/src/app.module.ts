import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
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
import { ContractsModule } from './contracts/contracts.module';
import { QueriesModule } from './queries/queries.module';
import { ServicesModule } from './services/services.module';
import { InvoicesModule } from './invoices/invoices.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { TicketsModule } from './tickets/tickets.module';
import { CallbacksModule } from './callbacks/callbacks.module';
import { InstancesModule } from './instances/instances.module';
import { NotificationsModule } from './notifications/notifications.module';
import { AuditModule } from './audit/audit.module';
import { BillingClockModule } from './billing-clock/billing-clock.module';
import { HealthController } from './health/health.controller';
import { HttpPlatformModule } from './http/http-platform.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { OperationsModule } from './operations/operations.module';

export type AppModuleOptions = Readonly<{
  config: AppConfig;
  /** What bearer tokens are verified with: `resolveJwtSecret(config)`. */
  jwtSecret: string;
  /** How the database is opened; tests open one of their own. */
  openDatabase?: DatabaseOpener;
  logger?: LoggerOptions;
}>;

/** The HTTP API; with `runWorker` (the embedded default) the worker runs in the same process. */
@Module({})
export class AppModule {
  static forRoot({ config, jwtSecret, openDatabase, logger }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config, logger)),
        InfrastructureModule.forRoot(config, openDatabase),
        HttpPlatformModule.forRoot({ jwtSecret, rateLimitPerMinute: config.rateLimitPerMinute }),
        CqrsModule.forRoot(),
        ContractsModule,
        QueriesModule,
        ServicesModule,
        InvoicesModule,
        WebhooksModule,
        TicketsModule,
        CallbacksModule,
        InstancesModule,
        NotificationsModule,
        AuditModule,
        AnalyticsModule,
        BillingClockModule,
        MetricsModule,
        OperationsModule,
        ...(config.runWorker ? [WorkerModule] : []),
      ],
      controllers: [HealthController],
    };
  }
}

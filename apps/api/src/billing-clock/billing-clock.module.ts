import { Module } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { BillingClock } from '@app/billing-clock';
import type { WritePath } from '@app/command-handling';
import type { AppConfig } from '@app/config';
import type { EventStore } from '@app/event-store';
import { APP_CONFIG, DATABASE, EVENT_STORE, WRITE_PATH } from '@app/platform';
import type { CheckpointDatabase } from '@app/projection-runner';
import type { BillingAgendaDatabase } from '@app/projections';
import type { DatabaseConnection } from '@app/read-store';
import { RunBillingClockHttpController } from './run-billing-clock/run-billing-clock.http.controller';

/** The billing clock on demand, for admins: the same rules the worker runs on its schedule. */
@Module({
  controllers: [RunBillingClockHttpController],
  providers: [
    {
      provide: BillingClock,
      inject: [DATABASE, EVENT_STORE, WRITE_PATH, APP_CONFIG],
      useFactory: (
        database: DatabaseConnection,
        store: EventStore,
        writePath: WritePath,
        config: AppConfig,
      ) =>
        new BillingClock({
          db: database.db as Kysely<BillingAgendaDatabase & CheckpointDatabase>,
          store,
          writePath,
          invoiceLeadDays: config.billingClock.invoiceLeadDays,
        }),
    },
  ],
})
export class BillingClockModule {}

import { Module } from '@nestjs/common';
import { QueryReader } from '../queries/query-reader';
import { InvoiceAgingHttpController } from './invoice-aging/invoice-aging.http.controller';
import { ServiceTimelineHttpController } from './service-timeline/service-timeline.http.controller';
import { StatusDurationsHttpController } from './status-durations/status-durations.http.controller';
import { SuspensionsHttpController } from './suspensions/suspensions.http.controller';

/** The billing analysts' endpoints (role analyst): status timelines, durations, suspensions, invoice aging. */
@Module({
  controllers: [
    ServiceTimelineHttpController,
    StatusDurationsHttpController,
    SuspensionsHttpController,
    InvoiceAgingHttpController,
  ],
  providers: [QueryReader],
})
export class AnalyticsModule {}

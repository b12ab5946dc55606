import { Module } from '@nestjs/common';
import { MetricsHttpController } from './metrics.http.controller';
import { ProjectionsStatusHttpController } from './projections-status.http.controller';

/** What operators read over HTTP: Prometheus metrics and the projections' lag. */
@Module({ controllers: [MetricsHttpController, ProjectionsStatusHttpController] })
export class OperationsModule {}

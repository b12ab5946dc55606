import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/platform';
import { Public } from '../http';

/**
 * Prometheus metrics of this process: command counts and latencies by command type, Node's process figures, and
 * the projections' lag and events applied when the worker runs in it. Public like the probes, for scrapers on the
 * internal network: it names command types and projections, never a customer.
 */
@Public()
@SkipThrottle()
@ApiTags('probes')
@Controller()
export class MetricsHttpController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiOkResponse({ description: 'The metrics in the Prometheus text format.' })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The process's Prometheus registry: each app registers what it owns and serves it at GET /metrics. */
export const METRICS_REGISTRY = Symbol('MetricsRegistry');

/** Commands through the write path, by command type and outcome, and how long each took. */
export type CommandMetrics = Readonly<{
  commands: Counter<'command' | 'outcome'>;
  duration: Histogram<'command' | 'outcome'>;
}>;
export const COMMAND_METRICS = Symbol('CommandMetrics');

/** Up to 2.5 s: a command slower than that is an incident, not a bucket. */
const COMMAND_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** A registry of this process's own (never prom-client's global one), with Node's process metrics. */
export const createMetricsRegistry = (): Registry => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
};

export const createCommandMetrics = (registry: Registry): CommandMetrics => ({
  commands: new Counter({
    name: 'commands_total',
    help: 'Commands handled, by command type and outcome (ok, refused: a business rule or access, failed)',
    labelNames: ['command', 'outcome'],
    registers: [registry],
  }),
  duration: new Histogram({
    name: 'command_duration_seconds',
    help: 'Time to load, decide and append a command, by command type and outcome',
    labelNames: ['command', 'outcome'],
    buckets: COMMAND_BUCKETS,
    registers: [registry],
  }),
});

/** The metrics registry and the command metrics, one of each per process. */
@Global()
@Module({
  providers: [
    { provide: METRICS_REGISTRY, useFactory: createMetricsRegistry },
    { provide: COMMAND_METRICS, inject: [METRICS_REGISTRY], useFactory: createCommandMetrics },
  ],
  exports: [METRICS_REGISTRY, COMMAND_METRICS],
})
export class MetricsModule {}

import { Counter, Gauge, type Registry } from 'prom-client';
import type { ProjectionStatus } from '@app/projection-runner';

/** A scrape reads the statuses once for every gauge, however many ask. */
const SCRAPE_REUSE_MS = 1_000;

/**
 * The worker's projection metrics: events applied (counted as batches commit), and lag in events and seconds per
 * projection version, read from the checkpoints and the log when Prometheus scrapes.
 */
export const registerProjectionMetrics = (
  registry: Registry,
  statuses: () => Promise<ProjectionStatus[]>,
) => {
  let last: { at: number; statuses: Promise<ProjectionStatus[]> } | undefined;
  const current = () => {
    if (!last || Date.now() - last.at > SCRAPE_REUSE_MS) last = { at: Date.now(), statuses: statuses() };
    return last.statuses;
  };
  const labels = ['projection', 'version', 'state'] as const;
  const gauge = (name: string, help: string, value: (status: ProjectionStatus) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: labels,
      registers: [registry],
      async collect() {
        this.reset();
        for (const status of await current()) {
          const measured = value(status);
          if (measured !== null)
            this.set(
              { projection: status.name, version: String(status.version), state: status.state },
              measured,
            );
        }
      },
    });
  gauge(
    'projection_lag_events',
    'Events a projection handles that the log holds past its checkpoint',
    (s) => s.lagEvents,
  );
  gauge(
    'projection_lag_seconds',
    'How long the oldest event a projection has not applied has waited',
    (s) => s.lagSeconds,
  );
  gauge('projection_failing', '1 while a projection cannot apply an event (retried with backoff)', (s) =>
    s.health === 'failing' ? 1 : 0,
  );
  const applied = new Counter({
    name: 'projection_events_applied_total',
    help: 'Events applied by this process, per projection version',
    labelNames: ['projection', 'version'],
    registers: [registry],
  });
  return {
    applied: (projection: string, version: number, events: number) =>
      applied.inc({ projection, version: String(version) }, events),
  };
};

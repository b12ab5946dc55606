import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import { postgresLogCounter, type EventStore } from '@app/event-store';
import { APP_CONFIG, DATABASE, EVENT_STORE, METRICS_REGISTRY } from '@app/platform';
import type { AppConfig } from '@app/config';
import { advisoryLockLease, ProjectionRunner, projectionStatuses, soleLease } from '@app/projection-runner';
import { READ_MODEL_PROJECTIONS, type ReadModelDatabase } from '@app/projections';
import type { DatabaseConnection } from '@app/read-store';
import { registerProjectionMetrics } from './projection-metrics';

/**
 * The worker: the projection runner keeps every read model up to date (reactors and the billing clock join it
 * later). Any number of worker processes may run on one Postgres server: each projection is held by one of them
 * through an advisory lock, and another takes over when its holder dies.
 */
@Module({})
export class WorkerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly runner: ProjectionRunner<ReadModelDatabase>;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DATABASE) database: DatabaseConnection,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    const db = database.db as Kysely<ReadModelDatabase>;
    const countEvents =
      config.eventStore.kind === 'postgres' ? postgresLogCounter(database.db as Kysely<unknown>) : undefined;
    const metrics = registerProjectionMetrics(registry, () =>
      projectionStatuses({
        db: database.db as Kysely<unknown>,
        store: eventStore,
        projections: READ_MODEL_PROJECTIONS,
        ...(countEvents ? { countEvents } : {}),
      }),
    );
    this.runner = new ProjectionRunner({
      db,
      store: eventStore,
      projections: READ_MODEL_PROJECTIONS,
      lease: database.kind === 'server' ? advisoryLockLease(database.db as Kysely<unknown>) : soleLease(),
      onFailure: ({ projection, position, error }) =>
        this.logger.error(
          { projection, position, err: error },
          `Projection ${projection} cannot apply the event at ${position}; it is retried with backoff`,
        ),
      onApplied: ({ projection, version, events }) => metrics.applied(projection, version, events),
      onActivated: ({ projection, version }) =>
        this.logger.log(`Projection ${projection} v${version} has caught up: queries read it from now on`),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const head = await this.eventStore.headPosition();
    this.runner.start();
    this.logger.log(
      `Worker started: ${READ_MODEL_PROJECTIONS.length} projections from their checkpoints; event log head at ${head ?? 'the start (empty log)'}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

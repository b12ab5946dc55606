import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import { BillingAgendaBehindError, BillingClock } from '@app/billing-clock';
import type { Clock, WritePath } from '@app/command-handling';
import type { AppConfig } from '@app/config';
import { postgresLogCounter, type EventStore } from '@app/event-store';
import { APP_CONFIG, CLOCK, DATABASE, EVENT_STORE, METRICS_REGISTRY, WRITE_PATH } from '@app/platform';
import {
  advisoryLockLease,
  ProjectionRunner,
  projectionStatuses,
  soleLease,
  type CheckpointDatabase,
} from '@app/projection-runner';
import { BILLING_REACTOR_FOLLOWERS, billingReactors, ReactorRunner } from '@app/reactors';
import { READ_MODEL_PROJECTIONS, type BillingAgendaDatabase, type ReadModelDatabase } from '@app/projections';
import type { DatabaseConnection } from '@app/read-store';
import { NotificationSenderModule } from './notifications';
import { registerProjectionMetrics } from './projection-metrics';

/**
 * The worker: the projection runner keeps every read model up to date (reactors and the billing clock join it
 * later). Any number of worker processes may run on one Postgres server: each projection is held by one of them
 * through an advisory lock, and another takes over when its holder dies.
 */
@Module({ imports: [NotificationSenderModule] })
export class WorkerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly runner: ProjectionRunner<ReadModelDatabase>;
  private readonly reactors: ReactorRunner;
  private readonly billingClock: BillingClock;
  private readonly clockLease;
  private clockTimer: NodeJS.Timeout | undefined;
  private clockRun: Promise<void> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DATABASE) database: DatabaseConnection,
    @Inject(WRITE_PATH) writePath: WritePath,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    const db = database.db as Kysely<ReadModelDatabase>;
    const countEvents =
      config.eventStore.kind === 'postgres' ? postgresLogCounter(database.db as Kysely<unknown>) : undefined;
    const metrics = registerProjectionMetrics(registry, () =>
      projectionStatuses({
        db: database.db as Kysely<unknown>,
        store: eventStore,
        projections: [...READ_MODEL_PROJECTIONS, ...BILLING_REACTOR_FOLLOWERS],
        ...(countEvents ? { countEvents } : {}),
      }),
    );
    const agendaDb = database.db as Kysely<BillingAgendaDatabase & CheckpointDatabase>;
    const lease = () =>
      database.kind === 'server' ? advisoryLockLease(database.db as Kysely<unknown>) : soleLease();
    // Reactors share the projections' checkpoint table, leases and status; each is held by one worker.
    this.reactors = new ReactorRunner({
      db: db as unknown as Kysely<CheckpointDatabase>,
      store: eventStore,
      writePath,
      reactors: billingReactors(agendaDb),
      lease: lease(),
      onFailure: ({ reactor, position, error }) =>
        this.logger.error(
          { reactor, position, err: error },
          `Reactor ${reactor} failed on the event at ${position}; it is retried with backoff`,
        ),
      // The aggregate's answer, not a fault (a payment cannot lift a staff suspension): said once, then passed.
      onRefusal: (refusal) =>
        this.logger.log(
          { reactorRefusal: refusal },
          `Reactor ${refusal.reactor}: ${refusal.streamName} refused ${refusal.rule} (${refusal.code})`,
        ),
    });
    this.billingClock = new BillingClock({
      db: agendaDb,
      store: eventStore,
      writePath,
      invoiceLeadDays: config.billingClock.invoiceLeadDays,
    });
    this.clockLease = lease();
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
    if (this.config.runAutomation) {
      this.reactors.start();
      // At start as well as on the interval: a worker restarted more often than that would never run it.
      this.tickBillingClock();
      this.clockTimer = setInterval(() => this.tickBillingClock(), this.config.billingClock.intervalMs);
      this.clockTimer.unref();
    }
    this.logger.log(
      `Worker started: ${READ_MODEL_PROJECTIONS.length} projections from their checkpoints; event log head at ${head ?? 'the start (empty log)'}`,
    );
  }

  /** One scheduled run of the billing clock, as of the injected clock's now, by whichever worker holds it. */
  private tickBillingClock(): void {
    this.clockRun = this.clockRun.then(async () => {
      try {
        if (!(await this.clockLease.tryAcquire('billing-clock'))) return;
        const report = await this.billingClock.run(this.clock.now());
        this.logger.log({ billingClock: report }, `Billing clock ran as of ${report.at}`);
      } catch (error) {
        if (error instanceof BillingAgendaBehindError) {
          this.logger.warn(`${error.message}: the next scheduled run does its work`);
          return;
        }
        this.logger.error({ err: error }, 'Billing clock run failed; the next run completes it');
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.clockTimer) clearInterval(this.clockTimer);
    await this.clockRun;
    await this.clockLease.close();
    await this.reactors.stop();
    await this.runner.stop();
  }
}

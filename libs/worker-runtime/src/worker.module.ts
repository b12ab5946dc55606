import { Inject, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE } from '@app/platform';

/**
 * The worker: projections, reactors and the billing clock run here (added by later work). Any number of
 * worker processes may run; they share work through Postgres advisory locks.
 */
@Module({})
export class WorkerModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('Worker');

  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async onApplicationBootstrap(): Promise<void> {
    const head = await this.eventStore.headPosition();
    this.logger.log(`Worker started; event log head at ${head ?? 'the start (empty log)'}`);
  }
}

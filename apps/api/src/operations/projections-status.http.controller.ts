import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Kysely } from 'kysely';
import type { AppConfig } from '@app/config';
import { postgresLogCounter, type EventStore, type LogCounter } from '@app/event-store';
import { APP_CONFIG, DATABASE, EVENT_STORE } from '@app/platform';
import { projectionStatuses, type ProjectionStatus } from '@app/projection-runner';
import { READ_MODEL_PROJECTIONS } from '@app/projections';
import { BILLING_REACTOR_FOLLOWERS } from '@app/reactors';
import type { DatabaseConnection } from '@app/read-store';
import { RequireRoles } from '../http';

/** One projection version as staff see it. */
export type ProjectionStatusView = Readonly<{
  name: string;
  version: number;
  kind: string;
  state: string;
  health: string;
  checkpoint: string | null;
  head: string | null;
  lagEvents: number | null;
  lagSeconds: number;
  eventsApplied: number;
  lastError: string | null;
  errorPosition: string | null;
  updatedAt: string | null;
}>;

const viewOf = (status: ProjectionStatus): ProjectionStatusView => ({
  ...status,
  updatedAt: status.updatedAt === null ? null : new Date(status.updatedAt).toISOString(),
});

/** How far behind the log each read model is, for staff (the CLI's `projections status` over HTTP). */
@ApiTags('admin')
@Controller()
export class ProjectionsStatusHttpController {
  private readonly countEvents: LogCounter | undefined;

  constructor(
    @Inject(DATABASE) private readonly database: DatabaseConnection,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.countEvents =
      config.eventStore.kind === 'postgres' ? postgresLogCounter(database.db as Kysely<unknown>) : undefined;
  }

  @Get('admin/projections')
  @RequireRoles('support', 'billing')
  @ApiOperation({
    summary:
      'Every projection version and reactor (kind `read model` or `reactor`): state (building, active, retired), health, checkpoint, head, lag in events and seconds, last error (support, billing, admin)',
  })
  @ApiOkResponse({
    description:
      '{ items: [{ name, version, kind, state, health, checkpoint, head, lagEvents, lagSeconds, eventsApplied, lastError, errorPosition, updatedAt }] }',
  })
  async list(): Promise<{ items: ProjectionStatusView[] }> {
    const statuses = await projectionStatuses({
      db: this.database.db as Kysely<unknown>,
      store: this.eventStore,
      projections: [...READ_MODEL_PROJECTIONS, ...BILLING_REACTOR_FOLLOWERS],
      ...(this.countEvents ? { countEvents: this.countEvents } : {}),
    });
    return { items: statuses.map(viewOf) };
  }
}

import { Controller, Get, HttpCode, HttpStatus, Inject, ServiceUnavailableException } from '@nestjs/common';
import { sql } from 'kysely';
import type { EventStore } from '@app/event-store';
import { DATABASE, EVENT_STORE } from '@app/platform';
import type { DatabaseConnection } from '@app/read-store';
import { Public } from '../http/auth/public.decorator';

/** Liveness and readiness in one: 200 once the database and the event store answer. */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly database: DatabaseConnection,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  @Get()
  @HttpCode(HttpStatus.OK)
  async check(): Promise<{ status: 'ok' }> {
    try {
      await sql`select 1`.execute(this.database.db);
      await this.eventStore.headPosition();
    } catch {
      throw new ServiceUnavailableException({
        statusCode: 503,
        code: 'DEPENDENCY_UNAVAILABLE',
        message: 'The database or the event store is not answering.',
      });
    }
    return { status: 'ok' };
  }
}

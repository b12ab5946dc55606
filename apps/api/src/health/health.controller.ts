import { Controller, Get, HttpStatus, Inject, Logger } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, type ApiResponseNoStatusOptions } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { sql } from 'kysely';
import type { EventStore } from '@app/event-store';
import { DATABASE, EVENT_STORE } from '@app/platform';
import type { DatabaseConnection } from '@app/read-store';
import { Public } from '../http/auth/public.decorator';
import { ApiError } from '../http/errors/api-error';

/** A readiness probe that hangs is worse than one that fails: a load balancer waits on it. */
const READINESS_TIMEOUT_MS = 2_000;

const STATUS_OK: ApiResponseNoStatusOptions = {
  schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] },
};

const withTimeout = async <T>(work: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** The probes: liveness (`/health`) and readiness (`/ready`), never rate-limited. */
@Public()
@SkipThrottle()
@ApiTags('probes')
@Controller()
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    @Inject(DATABASE) private readonly database: DatabaseConnection,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  /** 200 whenever the process serves HTTP; it touches nothing else, so a slow database never restarts it. */
  @Get('health')
  @ApiOperation({ summary: 'Liveness: the process serves HTTP' })
  @ApiOkResponse({ ...STATUS_OK, description: 'The process is alive.' })
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 once the database and the event store answer, 503 DEPENDENCY_UNAVAILABLE otherwise. */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database and the event store answer (else 503)' })
  @ApiOkResponse({ ...STATUS_OK, description: 'Ready to serve requests.' })
  async ready(): Promise<{ status: 'ok' }> {
    try {
      await withTimeout(
        (async () => {
          await sql`select 1`.execute(this.database.db);
          await this.eventStore.headPosition();
        })(),
        READINESS_TIMEOUT_MS,
      );
    } catch (error) {
      this.logger.warn(`Not ready: ${error instanceof Error ? error.message : String(error)}`);
      throw new ApiError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'DEPENDENCY_UNAVAILABLE',
        'The database or the event store is not answering.',
      );
    }
    return { status: 'ok' };
  }
}

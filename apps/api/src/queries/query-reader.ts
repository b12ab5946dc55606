import { HttpStatus, Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { loadCurrentState, type WritePath } from '@app/command-handling';
import { contractDecider, contractStream, DomainError, ticketDecider, ticketStream } from '@app/domain';
import { parsePosition, type EventStore, type Position } from '@app/event-store';
import { DATABASE, EVENT_STORE, WRITE_PATH, type Caller } from '@app/platform';
import { CheckpointWaiter, ReadModelCatalog, type CheckpointDatabase } from '@app/projection-runner';
import { READ_MODEL_PROJECTIONS, type ReadModelDatabase } from '@app/projections';
import type { DatabaseConnection } from '@app/read-store';
import { BILLING_REACTOR_NAMES, reactorCheckpoint } from '@app/reactors';
import { decideAccess, enforce } from '../authorization/access-policy';
import { ApiError, RequestValidationError } from '../http';
import { QUERY_ACCESS, type QueryName } from './query-access';

/** The reactors' checkpoints, which read-your-writes waits on where reactors run. */
const REACTOR_CHECKPOINTS = BILLING_REACTOR_NAMES.map((name) => reactorCheckpoint({ name }));

/** How long a query waits for its read model to reach X-Min-Position. */
export const FRESHNESS_TIMEOUT_MS = 5_000;

/** 503 STALE_READ_MODEL: the read model is behind what the caller knows exists. */
export const staleReadModel = (message: string): ApiError =>
  new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'STALE_READ_MODEL', message, undefined, {
    'Retry-After': '1',
  });

/** How often the API looks for a read model version that took over from the one it reads. */
export const CATALOG_REFRESH_MS = 1_000;

/**
 * What every query endpoint does around its read: authorize on the contract, wait for X-Min-Position, read. `db`
 * reads each read model's active version (see ReadModelCatalog): the tables of a version still building are never
 * seen.
 */
@Injectable()
export class QueryReader implements OnModuleInit, OnModuleDestroy {
  readonly db: Kysely<ReadModelDatabase>;
  private readonly waiter: CheckpointWaiter;
  private readonly checkpoints: Kysely<CheckpointDatabase>;
  private readonly catalog: ReadModelCatalog<ReadModelDatabase>;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(DATABASE) database: DatabaseConnection,
    @Inject(WRITE_PATH) private readonly writePath: WritePath,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {
    this.checkpoints = database.db as Kysely<CheckpointDatabase>;
    this.catalog = new ReadModelCatalog(database.db as Kysely<ReadModelDatabase>, READ_MODEL_PROJECTIONS);
    this.db = this.catalog.db;
    this.waiter = new CheckpointWaiter(database.db as Kysely<CheckpointDatabase>);
  }

  async onModuleInit(): Promise<void> {
    await this.catalog.refresh().catch(() => undefined);
    this.refreshTimer = setInterval(
      () => void this.catalog.refresh().catch(() => undefined),
      CATALOG_REFRESH_MS,
    );
    this.refreshTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.refreshTimer);
  }

  /** Refuses (404 for a stranger or no such contract, 403 without the permission) unless the caller may read. */
  async authorize(
    caller: Caller,
    contractId: string,
    query: QueryName,
    notFoundMessage = 'No such contract.',
  ) {
    const { state } = await loadCurrentState(this.writePath, contractDecider, contractStream(contractId));
    enforce(decideAccess(caller, state, QUERY_ACCESS[query]), notFoundMessage);
  }

  /**
   * The contract a ticket belongs to, from the ticket's own stream (as the ticket commands find it), so a ticket
   * is authorized on even before its read model has it. No such ticket is a 404 with `notFoundMessage`.
   */
  async contractOfTicket(ticketId: string, notFoundMessage: string): Promise<string> {
    const { state } = await loadCurrentState(this.writePath, ticketDecider, ticketStream(ticketId));
    if (state.status === 'not_opened') throw new DomainError('NOT_FOUND', notFoundMessage);
    return state.contractId;
  }

  /**
   * Read-your-writes: with an X-Min-Position header, waits (up to 5 s) until the named read models have passed
   * it; 503 STALE_READ_MODEL if they have not, 400 for a header that is not a position. What the reactors do at
   * once about the caller's command counts as part of it (the first invoice of an order, a reactivation on
   * payment): where reactors run, it first waits for them to pass the position, then for the read models to pass
   * the newest committed event as it is then, which holds the commands they sent — not the readable head, which
   * an unrelated transaction still in flight anywhere on the server can hold behind them.
   */
  async awaitPosition(header: string | undefined, projections: readonly string[]): Promise<void> {
    if (header === undefined) return;
    const position = parsePosition(header);
    if (position === undefined) {
      throw new RequestValidationError([
        { field: 'X-Min-Position', message: 'X-Min-Position must be a log position' },
      ]);
    }
    const deadline = Date.now() + FRESHNESS_TIMEOUT_MS;
    const target = await this.afterReactors(position, deadline);
    let wanted = this.catalog.activeVersions(projections);
    // A read model's first version is still building: nothing is served yet, so wait for it to take over.
    while (wanted === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await this.catalog.refresh().catch(() => undefined);
      wanted = this.catalog.activeVersions(projections);
    }
    if (wanted && (await this.waiter.waitFor(wanted, target, Math.max(0, deadline - Date.now())))) return;
    throw staleReadModel('The read model has not caught up with X-Min-Position yet; try again shortly.');
  }

  /** The position the read models must pass once the reactors that run have reacted to `position`. */
  private async afterReactors(position: Position, deadline: number): Promise<Position> {
    const known = REACTOR_CHECKPOINTS.map((checkpoint) => checkpoint.name);
    const running = await this.checkpoints
      .selectFrom('projection_checkpoints')
      .select(['name', 'version'])
      .where('name', 'in', known)
      .execute();
    const reactors = REACTOR_CHECKPOINTS.filter((checkpoint) =>
      running.some((row) => row.name === checkpoint.name && row.version === checkpoint.version),
    );
    if (reactors.length === 0) return position;
    if (!(await this.waiter.waitFor(reactors, position, Math.max(0, deadline - Date.now())))) {
      throw staleReadModel('The automation has not reacted to X-Min-Position yet; try again shortly.');
    }
    const head = await this.eventStore.lastCommittedPosition();
    return head !== undefined && head > position ? head : position;
  }
}

import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { loadCurrentState, type WritePath } from '@app/command-handling';
import { contractDecider, contractStream, DomainError, ticketDecider, ticketStream } from '@app/domain';
import { parsePosition } from '@app/event-store';
import { DATABASE, WRITE_PATH, type Caller } from '@app/platform';
import { CheckpointWaiter, type CheckpointDatabase } from '@app/projection-runner';
import { READ_MODEL_PROJECTIONS, type ReadModelDatabase } from '@app/projections';
import type { DatabaseConnection } from '@app/read-store';
import { decideAccess, enforce } from '../authorization/access-policy';
import { ApiError, RequestValidationError } from '../http';
import { QUERY_ACCESS, type QueryName } from './query-access';

/** How long a query waits for its read model to reach X-Min-Position. */
export const FRESHNESS_TIMEOUT_MS = 5_000;

/** 503 STALE_READ_MODEL: the read model is behind what the caller knows exists. */
export const staleReadModel = (message: string): ApiError =>
  new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'STALE_READ_MODEL', message, undefined, {
    'Retry-After': '1',
  });

/** What every query endpoint does around its read: authorize on the contract, wait for X-Min-Position, read. */
@Injectable()
export class QueryReader {
  readonly db: Kysely<ReadModelDatabase>;
  private readonly waiter: CheckpointWaiter;

  constructor(
    @Inject(DATABASE) database: DatabaseConnection,
    @Inject(WRITE_PATH) private readonly writePath: WritePath,
  ) {
    this.db = database.db as Kysely<ReadModelDatabase>;
    this.waiter = new CheckpointWaiter(database.db as Kysely<CheckpointDatabase>);
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
   * it; 503 STALE_READ_MODEL if they have not, 400 for a header that is not a position.
   */
  async awaitPosition(header: string | undefined, projections: readonly string[]): Promise<void> {
    if (header === undefined) return;
    const position = parsePosition(header);
    if (position === undefined) {
      throw new RequestValidationError([
        { field: 'X-Min-Position', message: 'X-Min-Position must be a log position' },
      ]);
    }
    const wanted = READ_MODEL_PROJECTIONS.filter((projection) => projections.includes(projection.name));
    if (await this.waiter.waitFor(wanted, position, FRESHNESS_TIMEOUT_MS)) return;
    throw staleReadModel('The read model has not caught up with X-Min-Position yet; try again shortly.');
  }
}

import type { Kysely } from 'kysely';
import { CONTRACT_AGGREGATES, contractStream, type Message } from '@app/domain';
import { streamCategory, type EventStore, type FoldableEvent } from '@app/event-store';
import { contractStreamNames } from './audit-log.queries';
import type { AuditLogDatabase } from './audit-log.table';

/** One aggregate as it was: its stream, how many of its events were folded, and the state they fold to. */
export type AggregateAt = Readonly<{ stream: string; revision: number; state: unknown }>;

/** A contract and everything of it as they were at an instant, each rebuilt from its events. */
export type ContractStateAt = Readonly<{
  contractId: string;
  at: string;
  /** How many events were folded, over every stream. */
  eventCount: number;
  contract: AggregateAt | null;
  services: readonly AggregateAt[];
  invoices: readonly AggregateAt[];
  tickets: readonly AggregateAt[];
  callbacks: readonly AggregateAt[];
}>;

const fold = (stream: string, events: readonly FoldableEvent[]): AggregateAt | null => {
  const aggregate = CONTRACT_AGGREGATES[streamCategory(stream)];
  const last = events.at(-1);
  if (!aggregate || last === undefined) return null;
  let state = aggregate.initialState();
  for (const event of events) {
    state = aggregate.evolve(state, { type: event.type, data: event.data as Message['data'] });
  }
  return { stream, revision: last.revision, state };
};

/**
 * The contract with `contractId` and each of its services, invoices, tickets and call-backs as they were at `at`:
 * every stream read through the event store port up to `at` (one batched read of each event's type and data, one
 * query on Postgres) and folded
 * with its aggregate's own `evolve`, each stream once, in one pass over its events. The
 * audit log's stream index only says which streams to read (those begun by `at`); no read model's state is used.
 * The contract's own stream is read whatever the index says.
 */
export const contractStateAt = async (
  eventStore: Pick<EventStore, 'readStreamsToFold'>,
  db: Kysely<AuditLogDatabase>,
  contractId: string,
  at: Date,
): Promise<ContractStateAt> => {
  const own = contractStream(contractId);
  const indexed = await contractStreamNames(db, contractId, at);
  const streams = [own, ...indexed.filter((name) => name !== own)];
  const read = await eventStore.readStreamsToFold(streams, { until: at });
  const byCategory = new Map<string, AggregateAt[]>();
  let eventCount = 0;
  for (const [stream, events] of read) {
    eventCount += events.length;
    const aggregate = fold(stream, events);
    if (aggregate === null) continue;
    const category = streamCategory(stream);
    const folded = byCategory.get(category);
    if (folded) folded.push(aggregate);
    else byCategory.set(category, [aggregate]);
  }
  const of = (category: string): AggregateAt[] => byCategory.get(category) ?? [];
  return {
    contractId,
    at: at.toISOString(),
    eventCount,
    contract: of('contract')[0] ?? null,
    services: of('service'),
    invoices: of('invoice'),
    tickets: of('ticket'),
    callbacks: of('callback'),
  };
};

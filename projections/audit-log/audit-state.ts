import type { Kysely } from 'kysely';
import { CONTRACT_AGGREGATES, contractStream, type Message } from '@app/domain';
import { streamCategory, type EventStore, type RecordedEvent } from '@app/event-store';
import { contractStreams } from './audit-log.queries';
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

/** Streams read at once: enough to keep a pool busy, few enough never to exhaust it. */
export const STREAM_READ_CONCURRENCY = 8;

/** `read` applied to every stream, at most {@link STREAM_READ_CONCURRENCY} at a time, results in input order. */
export const readStreamsBounded = async <T>(
  streams: readonly string[],
  read: (stream: string) => Promise<T>,
): Promise<T[]> => {
  const results = new Array<T>(streams.length);
  let next = 0;
  const worker = async () => {
    while (next < streams.length) {
      const index = next++;
      results[index] = await read(streams[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(STREAM_READ_CONCURRENCY, streams.length) }, worker));
  return results;
};

const fold = (stream: string, events: readonly RecordedEvent[]): AggregateAt | null => {
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
 * every stream read through the event store port up to `at` and folded with its aggregate's own `evolve`. The
 * audit log's stream index only says which streams to read (those begun by `at`); no read model's state is used.
 * The contract's own stream is read whatever the index says.
 */
export const contractStateAt = async (
  eventStore: Pick<EventStore, 'readStream'>,
  db: Kysely<AuditLogDatabase>,
  contractId: string,
  at: Date,
): Promise<ContractStateAt> => {
  const own = contractStream(contractId);
  const indexed = (await contractStreams(db, contractId, at)).map((row) => row.stream_name);
  const streams = [own, ...indexed.filter((name) => name !== own)];
  const folded = await readStreamsBounded(streams, async (stream) => {
    const events = await eventStore.readStream(stream, { until: at });
    return { count: events.length, aggregate: fold(stream, events) };
  });
  const of = (category: string): AggregateAt[] =>
    folded
      .map((each) => each.aggregate)
      .filter((each): each is AggregateAt => each !== null && streamCategory(each.stream) === category);
  return {
    contractId,
    at: at.toISOString(),
    eventCount: folded.reduce((sum, each) => sum + each.count, 0),
    contract: of('contract')[0] ?? null,
    services: of('service'),
    invoices: of('invoice'),
    tickets: of('ticket'),
    callbacks: of('callback'),
  };
};

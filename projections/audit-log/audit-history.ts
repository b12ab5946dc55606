import type { Kysely } from 'kysely';
import {
  auditedAggregateOf,
  contractStream,
  stateChanges,
  type Message,
  type StateChange,
} from '@app/domain';
import { comparePositions, streamCategory, type EventStore, type RecordedEvent } from '@app/event-store';
import { contractStreamNames } from './audit-log.queries';
import type { AuditLogDatabase } from './audit-log.table';

/** One event of a replayed history with the fields it changed. */
export type ReplayedEvent = Readonly<{ event: RecordedEvent; changes: readonly StateChange[] }>;

/** A contract's history replayed from the event store, and the state of each of its streams at the end. */
export type ContractReplay = Readonly<{
  events: readonly ReplayedEvent[];
  states: ReadonlyMap<string, unknown>;
}>;

/**
 * Replays a contract's history straight from the event store: every stream of it (the contract's own, and those
 * the audit log's index names) read through the port up to `until` in one batched read, merged in log order and
 * folded with each aggregate's `evolve`, each event's changes diffed on the way. What the CLI's `audit replay`
 * prints.
 */
export const replayContract = async (
  eventStore: Pick<EventStore, 'readStreams'>,
  db: Kysely<AuditLogDatabase>,
  contractId: string,
  until?: Date,
): Promise<ContractReplay> => {
  const own = contractStream(contractId);
  const indexed = await contractStreamNames(db, contractId, until);
  const streams = [own, ...indexed.filter((name) => name !== own)];
  const read = await eventStore.readStreams(streams, until ? { until } : {});
  const merged = [...read.values()].flat().sort((a, b) => comparePositions(a.position, b.position));
  const states = new Map<string, unknown>();
  const events: ReplayedEvent[] = [];
  for (const event of merged) {
    const aggregate = auditedAggregateOf(streamCategory(event.streamName));
    if (!aggregate) continue;
    const before = states.has(event.streamName) ? states.get(event.streamName) : aggregate.initialState();
    const after = aggregate.evolve(before, { type: event.type, data: event.data as Message['data'] });
    states.set(event.streamName, after);
    events.push({ event, changes: stateChanges(before, after) });
  }
  return { events, states };
};

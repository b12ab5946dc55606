import { DomainError, nowOf, type Command, type Decider, type Message } from '@app/domain';
import {
  ConcurrencyError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@app/event-store';
import { type AggregateCache, type CachedAggregate, type HandledCommand } from './aggregate-cache';
import { commandDigest, deterministicUuid } from './deterministic-id';
import type { Snapshotting } from './snapshots';
import type { StreamTurns } from './stream-turns';

/**
 * A command with what the write path needs around it: its id and why it was sent. Who sent it and when are the
 * command's own `metadata` (`actor`, `now`), the one place they are given; every event's metadata copies them.
 */
export type CommandEnvelope<C extends Command> = Readonly<{
  command: C;
  /** The HTTP Idempotency-Key, or a deterministic id for commands the system issues (`suspend:<service>:<invoice>`). */
  commandId: string;
  /** The request or process this command belongs to; defaults to the command id. */
  correlationId?: string;
  /** The event or request that caused this command; defaults to the command id. */
  causationId?: string;
  /**
   * Digest of what the client sent (the HTTP body), to tell a retry from a different request reusing the key.
   * Defaults to {@link defaultRequestDigest}.
   */
  requestDigest?: string;
}>;

export type CommandResult<Event extends Message, State> = Readonly<{
  /** The events the command appended (or, for a repeated command, had appended the first time). */
  events: readonly Event[];
  state: State;
  /** Revision of the stream's last event, -1 for a stream that still does not exist. */
  revision: number;
  /** Log position of the command's last event; a query given it waits until its read model got there. */
  position: Position | undefined;
  /** True when this command id had already been handled and nothing new was appended. */
  replayed: boolean;
}>;

export type WritePath = Readonly<{
  eventStore: EventStore;
  /** Attempts on concurrency conflicts before giving up with the ConcurrencyError (HTTP 409). Default 5. */
  maxAttempts?: number;
  /** Current schema version per event type; 1 when absent. */
  schemaVersions?: Readonly<Record<string, number>>;
  /** Makes commands to one stream take turns in this process instead of racing each other to conflicts. */
  turns?: StreamTurns;
  /** Folded aggregates kept between commands; without one, every command reads its whole stream. */
  cache?: AggregateCache;
  /** Snapshots of the aggregates that have a policy, so a long stream is loaded from its latest snapshot. */
  snapshots?: Snapshotting;
}>;

/**
 * The digest of a command's type, data and actor, leaving out `metadata.now`: an honest retry a second later is
 * the same request, while the same key sent by someone else, or with other data, is not.
 */
export const defaultRequestDigest = (command: Command): string =>
  commandDigest({ type: command.type, data: command.data, actor: command.metadata.actor });

const asMessage = (recorded: RecordedEvent): Message => ({
  type: recorded.type,
  data: recorded.data as Message['data'],
});

/** Folds recorded events into a cached aggregate, indexing the commands they came from. */
const foldInto = <Event extends Message, State>(
  decider: Decider<Command, Event, State>,
  entry: CachedAggregate,
  recorded: readonly RecordedEvent[],
): CachedAggregate => {
  if (recorded.length === 0) return entry;
  let state = entry.state as State;
  for (const event of recorded) {
    state = decider.evolve(state, asMessage(event) as Event);
    const { commandId, commandDigest: digest } = event.metadata;
    if (commandId === undefined) continue;
    const earlier = entry.commands.get(commandId);
    if (earlier && earlier.revision >= event.revision) continue; // indexed already by a concurrent load
    entry.commands.set(commandId, {
      events: [...(earlier?.events ?? []), asMessage(event)],
      position: event.position,
      revision: event.revision,
      digest,
    });
  }
  return { state, revision: recorded[recorded.length - 1]!.revision, commands: entry.commands };
};

/** Loads a stream and folds it into the aggregate's state; `until` gives the state as it was at that instant. */
export const loadAggregate = async <C extends Command, Event extends Message, State>(
  eventStore: EventStore,
  decider: Decider<C, Event, State>,
  streamName: string,
  options: Readonly<{ until?: Date }> = {},
): Promise<{ state: State; revision: number; events: readonly RecordedEvent[] }> => {
  const events = await eventStore.readStream(streamName, options.until ? { until: options.until } : {});
  let state = decider.initialState();
  for (const recorded of events) state = decider.evolve(state, asMessage(recorded) as Event);
  return { state, revision: events.length === 0 ? -1 : events[events.length - 1]!.revision, events };
};

/** The aggregate as of now: the cached fold plus whatever was appended since (or the whole stream, uncached). */
const loadCurrent = async <Event extends Message, State>(
  writePath: WritePath,
  decider: Decider<Command, Event, State>,
  streamName: string,
): Promise<CachedAggregate> => {
  const cached = writePath.cache?.get(streamName);
  const snapshot = cached ? undefined : await writePath.snapshots?.load(untyped(decider), streamName);
  const base: CachedAggregate = cached ?? {
    state: snapshot ? snapshot.state : decider.initialState(),
    revision: snapshot ? snapshot.revision : -1,
    commands: new Map(),
  };
  const tail = await writePath.eventStore.readStream(streamName, { fromRevision: base.revision + 1 });
  const current = foldInto(decider, base, tail);
  writePath.cache?.set(streamName, current);
  writePath.snapshots?.consider(untyped(decider), streamName, base.revision, current.revision, current.state);
  return current;
};

/**
 * The aggregate's state now, for deciding who may send it a command: the cached fold plus the events appended
 * since, the same load the write path starts with.
 */
export const loadCurrentState = async <C extends Command, Event extends Message, State>(
  writePath: WritePath,
  decider: Decider<C, Event, State>,
  streamName: string,
): Promise<{ state: State; revision: number }> => {
  const current = await loadCurrent(
    writePath,
    decider as unknown as Decider<Command, Event, State>,
    streamName,
  );
  return { state: current.state as State, revision: current.revision };
};

const untyped = <Event extends Message, State>(decider: Decider<Command, Event, State>) =>
  decider as unknown as Decider<Command, Message, unknown>;

/**
 * The events a command appended, read back from the stream: for a repeated command whose events are older than
 * the snapshot the aggregate was loaded from, so not in the fold's index of commands.
 */
const readBackCommand = async (
  eventStore: EventStore,
  streamName: string,
  commandId: string,
  stored: AppendResult,
): Promise<{ events: Message[]; digest: string | undefined }> => {
  const tail = await eventStore.readStream(streamName, {
    direction: 'backwards',
    fromRevision: stored.nextExpectedRevision,
    maxCount: 1_000,
  });
  const own: RecordedEvent[] = [];
  for (const event of tail) {
    if (event.metadata.commandId !== commandId) break;
    own.push(event);
  }
  return { events: own.reverse().map(asMessage), digest: own[0]?.metadata.commandDigest };
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The one way every command is handled:
 * 1. load the aggregate: the cached fold plus the events appended since (the whole stream the first time);
 *    with a cache on a store that reports repeated appends, a cached fold is used without reading at all, since
 *    the append's expected revision proves it current (see step 4);
 * 2. if this command id already produced events here, answer with them (or refuse a different request reusing it);
 * 3. `decide` (a DomainError refuses the command and nothing is written);
 * 4. append with the revision read, event ids derived from the command id and metadata on every event;
 * 5. on a concurrency conflict, start again from 1 with a fresh read, a bounded number of times.
 * Any answer other than a new append (a refusal, a no-op, a replay) is only given on a freshly read aggregate.
 * With `turns`, all of this happens in the stream's turn.
 */
export const handleCommand = <C extends Command, Event extends Message, State>(
  writePath: WritePath,
  decider: Decider<C, Event, State>,
  streamName: string,
  envelope: CommandEnvelope<C>,
): Promise<CommandResult<Event, State>> =>
  writePath.turns
    ? writePath.turns.take(streamName, () => handleNow(writePath, decider, streamName, envelope))
    : handleNow(writePath, decider, streamName, envelope);

const handleNow = async <C extends Command, Event extends Message, State>(
  writePath: WritePath,
  decider: Decider<C, Event, State>,
  streamName: string,
  envelope: CommandEnvelope<C>,
): Promise<CommandResult<Event, State>> => {
  const maxAttempts = writePath.maxAttempts ?? 5;
  const { command } = envelope;
  const digest = envelope.requestDigest ?? defaultRequestDigest(command);
  const occurredAt = nowOf(command);
  const anyDecider = decider as unknown as Decider<Command, Event, State>;
  const optimistic = writePath.cache !== undefined && writePath.eventStore.reportsAlreadyStored;
  let fresh = !optimistic;
  // Set when the store answered that this command's events are stored already.
  let storedBefore: AppendResult | undefined;
  for (let attempt = 1; ; attempt++) {
    // 1. Load.
    const cached = fresh ? undefined : writePath.cache?.get(streamName);
    const current = cached ?? (await loadCurrent(writePath, anyDecider, streamName));
    const isFresh = cached === undefined;
    const state = current.state as State;
    const { revision } = current;

    // 2. A repeated command answers as the first time.
    const earlier: HandledCommand | undefined = current.commands.get(envelope.commandId);
    if (earlier) {
      if (earlier.digest !== digest) {
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          'This idempotency key was already used for a different request.',
        );
      }
      return {
        events: earlier.events as Event[],
        state,
        revision,
        position: earlier.position,
        replayed: true,
      };
    }
    if (storedBefore) {
      // Stored before the snapshot this load started from: read the first answer back from the stream.
      const first = await readBackCommand(writePath.eventStore, streamName, envelope.commandId, storedBefore);
      if (first.digest !== digest) {
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          'This idempotency key was already used for a different request.',
        );
      }
      return {
        events: first.events as Event[],
        state,
        revision,
        position: storedBefore.position,
        replayed: true,
      };
    }

    // 3. Decide; on a cached fold, a refusal or a no-op is confirmed on a fresh read first.
    let decided: readonly Event[];
    try {
      decided = decider.decide(command, state);
    } catch (error) {
      if (isFresh || !(error instanceof DomainError)) throw error;
      fresh = true;
      continue;
    }
    if (decided.length === 0) {
      if (isFresh) return { events: [], state, revision, position: undefined, replayed: false };
      fresh = true;
      continue;
    }

    // 4. Append, stamped with the command's actor and time.
    const metadata = (event: Event): EventMetadata => ({
      actor: command.metadata.actor,
      occurredAt,
      correlationId: envelope.correlationId ?? envelope.commandId,
      causationId: envelope.causationId ?? envelope.commandId,
      commandName: command.type,
      commandId: envelope.commandId,
      commandDigest: digest,
      schemaVersion: writePath.schemaVersions?.[event.type] ?? 1,
    });
    let appended: AppendResult;
    try {
      appended = await writePath.eventStore.append(
        streamName,
        decided.map((event, index) => ({
          id: deterministicUuid(envelope.commandId, streamName, String(index)),
          type: event.type,
          data: event.data,
          metadata: metadata(event),
        })),
        revision === -1 ? 'no_stream' : revision,
      );
    } catch (error) {
      // 5. Someone else wrote first: decide again on what they wrote, after a short jittered pause so
      // writers that collided do not collide again in lockstep.
      if (!(error instanceof ConcurrencyError) || attempt >= maxAttempts) throw error;
      fresh = true;
      await pause(Math.random() * 5 * attempt);
      continue;
    }
    if (appended.alreadyStored) {
      // A twin of this command (same id) was appended after our read, or before the snapshot we loaded from:
      // answer from the stream as it is now.
      fresh = true;
      storedBefore = appended;
      continue;
    }
    // The append succeeded at the revision we folded to, so our fold plus these events is the stream now.
    const newState = decided.reduce(decider.evolve, state);
    current.commands.set(envelope.commandId, {
      events: decided,
      position: appended.position,
      revision: appended.nextExpectedRevision,
      digest,
    });
    writePath.cache?.set(streamName, {
      state: newState,
      revision: appended.nextExpectedRevision,
      commands: current.commands,
    });
    writePath.snapshots?.consider(
      untyped(anyDecider),
      streamName,
      revision,
      appended.nextExpectedRevision,
      newState,
    );
    return {
      events: decided,
      state: newState,
      revision: appended.nextExpectedRevision,
      position: appended.position,
      replayed: false,
    };
  }
};

import type { Instant } from '../value-objects/calendar';
import type { Actor } from './actor';

/** A domain event: a readonly `{ type, data }` pair with an explicit type name. */
export type Message<Type extends string = string, Data = unknown> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

/**
 * What travels with every command, whatever its type: when it is decided and who sends it. `now` is the
 * business time every event the command produces is stamped with (the caller's clock, or the instant a billing
 * clock runs "as of"); no decider reads a clock or takes a time from `data`.
 */
export type CommandMetadata = Readonly<{ now: Instant; actor: Actor }>;

/** A command: `{ type, data, metadata }` as in Emmett, with the metadata required. */
export type Command<Type extends string = string, Data = unknown> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: CommandMetadata;
}>;

/**
 * An aggregate as a decider: pure functions, time and actor taken from the command's metadata.
 * `decide` returns the events a command produces or throws a {@link DomainError}.
 */
export type Decider<C extends Command, Event extends Message, State> = Readonly<{
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  decide: (command: C, state: State) => readonly Event[];
}>;

import type { Command, Decider, Message } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';

/** A command as a rule writes it: the reactor stamps its time and actor. */
export type RuleCommand<C extends Command> = C extends Command ? Omit<C, 'metadata'> : never;

/** What a reactor's rule can do while it reacts to one event. */
export type ReactorContext = Readonly<{
  /** The cause: the event reacted to. */
  event: RecordedEvent;
  /**
   * Sends `command` through the write path as `rule`, with the command id `<rule>:<cause event id>`, at the
   * cause's business time, caused by it and in its correlation. Sending it again (after a crash before the
   * checkpoint moved) appends nothing. A command the aggregate refuses is reported, not thrown: the aggregate
   * decides, and a refusal is its answer.
   */
  send: <C extends Command, E extends Message, S>(
    rule: string,
    decider: Decider<C, E, S>,
    streamName: string,
    command: RuleCommand<C>,
  ) => Promise<SendOutcome<S>>;
  /** The current state of an aggregate, to decide what to send. */
  stateOf: <C extends Command, E extends Message, S>(
    decider: Decider<C, E, S>,
    streamName: string,
  ) => Promise<S>;
}>;

/** What became of a command a rule sent. */
export type SendOutcome<S> =
  | Readonly<{ outcome: 'applied' | 'unchanged' | 'repeated'; state: S }>
  | Readonly<{ outcome: 'refused'; code: string }>;

/**
 * A reactor (process manager): it follows the durable log from its own checkpoint and turns the events it
 * handles into commands. Its checkpoint moves only after the commands of a page were dispatched, so a crash in
 * between dispatches them again, under the same command ids, and nothing is applied twice.
 */
export type Reactor = Readonly<{
  name: string;
  /** The event types `react` wants; the runner reads only these from the log. */
  handles: readonly string[];
  react: (context: ReactorContext) => Promise<void>;
}>;

/** A domain event or command: a readonly `{ type, data }` pair with an explicit type name. */
export type Message<Type extends string = string, Data = unknown> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

/**
 * An aggregate as a decider: pure functions, time and ids passed in.
 * `decide` returns the events a command produces or throws a {@link DomainError}.
 */
export type Decider<Command extends Message, Event extends Message, State> = Readonly<{
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  decide: (command: Command, state: State) => readonly Event[];
}>;

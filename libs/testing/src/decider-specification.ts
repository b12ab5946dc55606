import type { Command, Decider, DomainErrorCode, Message } from '@app/domain';
import { DomainError } from '@app/domain';

/**
 * Given/when/then for deciders: given past events, when a command is decided, then these events (or this error).
 *
 * ```ts
 * const given = deciderSpecification(serviceDecider);
 * given([serviceOrdered]).when(suspendService).then([serviceSuspended]);
 * given([]).when(suspendService).thenFails('INVALID_TRANSITION');
 * ```
 */
export const deciderSpecification =
  <C extends Command, Event extends Message, State>(decider: Decider<C, Event, State>) =>
  (givenEvents: readonly Event[]) => ({
    when: (command: C) => {
      const run = (): readonly Event[] => {
        const state = givenEvents.reduce(decider.evolve, decider.initialState());
        return decider.decide(command, state);
      };
      return {
        /** Asserts the decided events equal `expected`, in order. */
        then: (expected: readonly Event[]): void => {
          expect(run()).toEqual(expected);
        },
        /** Asserts the command is refused with a DomainError of this code (and, optionally, details). */
        thenFails: (code: DomainErrorCode, details?: Readonly<Record<string, unknown>>): DomainError => {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(DomainError);
          const domainError = caught as DomainError;
          expect(domainError.code).toBe(code);
          if (details) expect(domainError.details).toMatchObject(details);
          return domainError;
        },
        /** Asserts the command is accepted and changes nothing (an idempotent repeat). */
        thenNothingHappens: (): void => {
          expect(run()).toEqual([]);
        },
      };
    },
  });

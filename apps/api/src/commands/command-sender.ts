import { Inject, Injectable } from '@nestjs/common';
import {
  handleCommand,
  loadCurrentState,
  type Clock,
  type CommandResult,
  type WritePath,
} from '@app/command-handling';
import {
  type Command,
  type ContractState,
  contractDecider,
  contractStream,
  type Decider,
  DomainError,
  type Message,
} from '@app/domain';
import { CLOCK, COMMAND_METRICS, WRITE_PATH, type Caller, type CommandMetrics } from '@app/platform';
import { decideAccess, decideStaffAccess, enforce } from '../authorization/access-policy';
import type { CommandContext } from '../http';
import { answerOf, type CommandAnswer } from './command-answer';
import {
  CONTRACT_COMMAND_ACCESS,
  STAFF_COMMAND_ACCESS,
  type ContractCommandName,
  type StaffCommandName,
} from './command-access';

/** A domain command before its metadata: the sender stamps time and actor. */
export type UnsentCommand<C extends Command> = C extends Command ? Omit<C, 'metadata'> : never;

/**
 * What every HTTP command handler does around the domain: authorize on the contract's own state, stamp the
 * command with the time and the caller, run it through the one write path, and answer `{ id, position }`.
 * No business rule lives here.
 */
@Injectable()
export class CommandSender {
  constructor(
    @Inject(WRITE_PATH) private readonly writePath: WritePath,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMMAND_METRICS) private readonly metrics: CommandMetrics,
  ) {}

  /**
   * The contract as it is now, once the caller is known to be allowed `command` on it; otherwise a 404 in the
   * words of `notFoundMessage` (for a stranger, or no such contract) or a 403.
   */
  async authorizeOnContract(
    caller: Caller,
    contractId: string,
    command: ContractCommandName,
    notFoundMessage = 'No such contract.',
  ): Promise<Extract<ContractState, { status: 'open' }>> {
    const { state } = await loadCurrentState(this.writePath, contractDecider, contractStream(contractId));
    enforce(decideAccess(caller, state, CONTRACT_COMMAND_ACCESS[command]), notFoundMessage);
    return state as Extract<ContractState, { status: 'open' }>;
  }

  /** Refuses with 403 unless the caller holds a staff role that may send `command`. */
  authorizeStaff(caller: Caller, command: StaffCommandName): void {
    enforce(decideStaffAccess(caller, STAFF_COMMAND_ACCESS[command]), 'Not found.');
  }

  /** The current state of any aggregate (to find the contract a service, invoice or ticket belongs to). */
  async stateOf<C extends Command, E extends Message, S>(
    decider: Decider<C, E, S>,
    streamName: string,
  ): Promise<S> {
    return (await loadCurrentState(this.writePath, decider, streamName)).state;
  }

  /** Runs the command through the write path and answers with `id` and the position of its events. */
  async send<C extends Command, E extends Message, S>(
    decider: Decider<C, E, S>,
    streamName: string,
    command: UnsentCommand<C>,
    context: CommandContext,
    id: string,
  ): Promise<CommandAnswer> {
    const result = await this.run(decider, streamName, command, context);
    return answerOf(this.writePath.eventStore, streamName, id, result);
  }

  /** Runs the command and gives the whole result, for handlers that need the events (a nota's number). */
  async run<C extends Command, E extends Message, S>(
    decider: Decider<C, E, S>,
    streamName: string,
    command: UnsentCommand<C>,
    context: CommandContext,
  ): Promise<CommandResult<E, S>> {
    const stopTimer = this.metrics.duration.startTimer({ command: command.type });
    const count = (outcome: 'ok' | 'refused' | 'failed') => {
      stopTimer({ outcome });
      this.metrics.commands.inc({ command: command.type, outcome });
    };
    try {
      const result = await this.runCommand(decider, streamName, command, context);
      count('ok');
      return result;
    } catch (error) {
      count(error instanceof DomainError ? 'refused' : 'failed');
      throw error;
    }
  }

  private runCommand<C extends Command, E extends Message, S>(
    decider: Decider<C, E, S>,
    streamName: string,
    command: UnsentCommand<C>,
    context: CommandContext,
  ): Promise<CommandResult<E, S>> {
    const { caller } = context;
    const stamped = {
      ...command,
      metadata: {
        now: this.clock.now().toISOString(),
        actor: { kind: 'user', userId: caller.userId, email: caller.email, roles: caller.roles },
      },
    } as C;
    return handleCommand(this.writePath, decider, streamName, {
      command: stamped,
      commandId: context.commandId,
      correlationId: context.correlationId,
      requestDigest: context.requestDigest,
    });
  }
}

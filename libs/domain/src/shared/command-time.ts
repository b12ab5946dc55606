import { type Instant, parseInstant } from '../value-objects/calendar';
import type { Command } from './decider';

/**
 * The command's `metadata.now`, checked: deciders stamp it on the events they write, so a value that is not an
 * ISO-8601 instant is refused (VALIDATION_FAILED on field `now`).
 */
export const nowOf = (command: Command): Instant => parseInstant(command.metadata.now, 'now');

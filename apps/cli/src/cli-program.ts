import { Command } from 'commander';
import type { CliCommand, CliContext } from './cli-context';
import { auditCommand } from './commands/audit.command';
import { billingClockCommand } from './commands/billing-clock.command';
import { migrateCommand } from './commands/migrate.command';
import { projectionsCommand } from './commands/projections.command';
import { tokenCommand } from './commands/token.command';
import { demoSeedCommand } from './commands/demo-seed.command';

/** Every command of `npm run cli -- <command>`; a new one is a file in commands/ and a line here. */
const COMMANDS: readonly CliCommand[] = [
  tokenCommand,
  migrateCommand,
  auditCommand,
  demoSeedCommand,
  billingClockCommand,
  projectionsCommand,
];

/**
 * The operator CLI. `configure` sets up the program before the commands are added, so they inherit it (tests
 * make commander throw instead of exiting, and capture its output).
 */
export const cliProgram = (
  context: CliContext,
  configure: (program: Command) => void = () => {},
): Command => {
  const program = new Command('cli').description('Área do Cliente operator commands').showHelpAfterError();
  configure(program);
  for (const command of COMMANDS) program.addCommand(command(context).copyInheritedSettings(program));
  return program;
};

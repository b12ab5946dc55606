// First, as in the worker: a rebuild or a catch-up run here keeps the worker's heap settings.
import '@app/platform/steady-heap';
import { exitOnConfigError, readConfigOrExit, resolveJwtSecret } from '@app/platform';
import type { AppConfig } from '@app/config';
import { cliProgram } from './cli-program';

let config: AppConfig | undefined;
const readConfigOnce = (): AppConfig => (config ??= readConfigOrExit());

/** `npm run cli -- <command>` (`npm run -s cli -- …` to get only the command's output). */
cliProgram({
  config: readConfigOnce,
  jwtSecret: () => exitOnConfigError(() => resolveJwtSecret(readConfigOnce())),
  write: (line) => process.stdout.write(`${line}\n`),
  ...(process.stdout.isTTY ? { progressStream: process.stdout } : {}),
})
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });

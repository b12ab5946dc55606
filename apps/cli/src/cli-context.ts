import type { Command } from 'commander';
import type { AppConfig } from '@app/config';

/** What a command gets from the CLI around it; read lazily, so `--help` needs no configuration. */
export type CliContext = Readonly<{
  config: () => AppConfig;
  /** The secret the API verifies tokens with (JWT_SECRET, or the embedded one in DATA_DIR). */
  jwtSecret: () => string;
  /** Where a command's result goes (stdout): one line, ready for a shell variable. */
  write: (line: string) => void;
  /** Where a progress bar may be drawn: a terminal; without one, progress comes as lines through `write`. */
  progressStream?: NodeJS.WritableStream;
}>;

/** One file per command under commands/, each exporting one of these; cli-program.ts lists them. */
export type CliCommand = (context: CliContext) => Command;

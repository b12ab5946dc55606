import { ConfigError, loadConfig, type AppConfig } from '@app/config';

/** EX_CONFIG from sysexits.h: what a process manager reads as "fix the configuration, restarting won't help". */
export const CONFIG_ERROR_EXIT_CODE = 78;

/**
 * Runs what an app reads before it starts (the configuration, a secret); a ConfigError stops the process with
 * its message, which names the variable, and exit code 78. Any other error is thrown on.
 */
export const exitOnConfigError = <T>(read: () => T): T => {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return process.exit(CONFIG_ERROR_EXIT_CODE);
  }
};

/** The configuration from the environment, or the process stops naming the variable that is wrong. */
export const readConfigOrExit = (): AppConfig => exitOnConfigError(loadConfig);

import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@app/config';

const readSecret = (path: string, variable: string): string => {
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 16) {
    throw new ConfigError(variable, `${path} holds fewer than 16 characters; delete it to get a new secret`);
  }
  return secret;
};

const errorCode = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/**
 * The secret kept in `dataDir/fileName`, created if it is missing, atomically: the secret is written in full to a
 * file of its own (mode 0600) and then hard-linked into place, which fails if another process (the CLI, a second
 * start) got there first — then theirs is the secret. Nobody ever reads a half-written file.
 * @throws ConfigError naming `variable` (the environment variable that would replace the file) when the file
 * holds fewer than 16 characters.
 */
export const readOrCreateSecretFile = (dataDir: string, fileName: string, variable: string): string => {
  const path = join(dataDir, fileName);
  try {
    return readSecret(path, variable);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const draft = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(draft, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, path);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  return readSecret(path, variable);
};

import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type AppConfig } from '@app/config';

/** The file in DATA_DIR that keeps the embedded mode's generated token secret. */
export const JWT_SECRET_FILE = 'jwt-secret';

const readSecret = (path: string): string => {
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 16) {
    throw new ConfigError(
      'JWT_SECRET',
      `${path} holds fewer than 16 characters; delete it to get a new secret`,
    );
  }
  return secret;
};

const errorCode = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/**
 * Creates the secret file if it is missing, atomically: the secret is written in full to a file of its own
 * (mode 0600) and then hard-linked into place, which fails if another process (the CLI, a second start) got
 * there first — then theirs is the secret. Nobody ever reads a half-written file.
 */
const readOrCreateSecretFile = (dataDir: string): string => {
  const path = join(dataDir, JWT_SECRET_FILE);
  try {
    return readSecret(path);
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
  return readSecret(path);
};

/**
 * The secret bearer tokens are signed with: JWT_SECRET when set; in embedded mode without it, one generated on
 * first start and kept in `DATA_DIR/jwt-secret`, so tokens minted by the CLI stay valid across restarts.
 * @throws ConfigError naming JWT_SECRET when a Postgres server is configured and no secret is given: a
 * generated secret would differ between API processes.
 */
export const resolveJwtSecret = (config: AppConfig): string => {
  if (config.jwtSecret !== undefined) return config.jwtSecret;
  if (config.database.kind !== 'embedded') {
    throw new ConfigError(
      'JWT_SECRET',
      'is required with DATABASE_URL (only the embedded mode generates one and keeps it in DATA_DIR)',
    );
  }
  return readOrCreateSecretFile(config.dataDir);
};

import { ConfigError, type AppConfig } from '@app/config';
import { readOrCreateSecretFile } from './secret-file';

/** The file in DATA_DIR that keeps the embedded mode's generated token secret. */
export const JWT_SECRET_FILE = 'jwt-secret';

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
  return readOrCreateSecretFile(config.dataDir, JWT_SECRET_FILE, 'JWT_SECRET');
};

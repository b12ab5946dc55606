import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, readConfig } from '@app/config';
import { JWT_SECRET_FILE, resolveJwtSecret } from './jwt-secret';

describe('resolveJwtSecret', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jwt-secret-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses JWT_SECRET when it is set, and writes no file', () => {
    const config = readConfig({ DATA_DIR: dataDir, JWT_SECRET: 'a-configured-secret-value' });
    expect(resolveJwtSecret(config)).toBe('a-configured-secret-value');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('in embedded mode, generates a secret on first start, readable by the owner alone, and reuses it after', () => {
    const config = readConfig({ DATA_DIR: dataDir });
    const first = resolveJwtSecret(config);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const path = join(dataDir, JWT_SECRET_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(first);
    expect(resolveJwtSecret(readConfig({ DATA_DIR: dataDir }))).toBe(first);
    expect(readdirSync(dataDir)).toEqual([JWT_SECRET_FILE]);
  });

  it('creates DATA_DIR when it does not exist yet', () => {
    const nested = join(dataDir, 'not', 'yet');
    const secret = resolveJwtSecret(readConfig({ DATA_DIR: nested }));
    expect(readFileSync(join(nested, JWT_SECRET_FILE), 'utf8').trim()).toBe(secret);
  });

  it('keeps a secret another process stored first', () => {
    writeFileSync(join(dataDir, JWT_SECRET_FILE), 'stored-by-the-cli-earlier-on\n', { mode: 0o600 });
    expect(resolveJwtSecret(readConfig({ DATA_DIR: dataDir }))).toBe('stored-by-the-cli-earlier-on');
  });

  it('refuses a secret file too short to be a secret, naming JWT_SECRET', () => {
    writeFileSync(join(dataDir, JWT_SECRET_FILE), 'short\n');
    expect(() => resolveJwtSecret(readConfig({ DATA_DIR: dataDir }))).toThrow(
      /^Configuration error in JWT_SECRET:/,
    );
  });

  it('requires JWT_SECRET with a Postgres server, where every API process must share it', () => {
    const config = readConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', DATA_DIR: dataDir });
    expect(() => resolveJwtSecret(config)).toThrow(ConfigError);
    expect(() => resolveJwtSecret(config)).toThrow(/^Configuration error in JWT_SECRET:/);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

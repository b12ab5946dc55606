import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { decodeJwt } from 'jose';
import { readConfig, type AppConfig } from '@app/config';
import { JWT_SECRET_FILE, resolveJwtSecret, verifyAccessToken } from '@app/platform';
import { cliProgram } from '../cli-program';

describe('cli token', () => {
  let dataDir: string;
  let config: AppConfig;
  let out: string[];
  let err: string[];

  const run = async (...args: string[]): Promise<void> => {
    await cliProgram(
      { config: () => config, jwtSecret: () => resolveJwtSecret(config), write: (line) => out.push(line) },
      (program) =>
        program
          .exitOverride()
          .configureOutput({ writeOut: (text) => out.push(text), writeErr: (text) => err.push(text) }),
    ).parseAsync(['node', 'cli', ...args]);
  };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cli-token-'));
    config = readConfig({ DATA_DIR: dataDir });
    out = [];
    err = [];
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints one token, signed with the embedded secret the API will use, for the caller asked for', async () => {
    await run('token', '--sub', 'user-9', '--email', 'ana@example.com', '--roles', 'customer, billing');
    expect(out).toHaveLength(1);
    const secret = readFileSync(join(dataDir, JWT_SECRET_FILE), 'utf8').trim();
    await expect(verifyAccessToken(secret, out[0]!)).resolves.toEqual({
      userId: 'user-9',
      email: 'ana@example.com',
      roles: ['customer', 'billing'],
    });
    const claims = decodeJwt(out[0]!);
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
  });

  it('signs with JWT_SECRET when it is configured, valid for --expires-in', async () => {
    config = readConfig({ DATA_DIR: dataDir, JWT_SECRET: 'configured-secret-for-the-cli' });
    await run('token', '--sub', 'u', '--email', 'a@b.c', '--roles', 'admin', '--expires-in', '30m');
    await expect(verifyAccessToken('configured-secret-for-the-cli', out[0]!)).resolves.toMatchObject({
      roles: ['admin'],
    });
    const claims = decodeJwt(out[0]!);
    expect(claims.exp! - claims.iat!).toBe(1800);
  });

  it.each([
    [['--sub', 'u', '--email', 'a@b.c', '--roles', 'customer,root'], /"root" is not a role/],
    [['--sub', 'u', '--email', 'a@b.c', '--roles', ','], /at least one role/],
    [['--sub', 'u', '--email', 'a@b.c'], /required option '--roles <roles>' not specified/],
    [
      ['--sub', 'u', '--email', 'a@b.c', '--roles', 'admin', '--expires-in', 'soon'],
      /cannot make that token/,
    ],
    [['--sub', 'two words', '--email', 'a@b.c', '--roles', 'admin'], /"sub" claim is not a user id/],
    [['--sub', 'u', '--email', 'not-an-email', '--roles', 'admin'], /"email" claim is not an e-mail/],
  ])('refuses %j, printing no token', async (args, message) => {
    await expect(run('token', ...args)).rejects.toBeInstanceOf(CommanderError);
    expect(err.join('')).toMatch(message);
    expect(out).toEqual([]);
  });
});

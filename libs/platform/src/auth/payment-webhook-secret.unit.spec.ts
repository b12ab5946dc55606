import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '@app/config';
import { JWT_SECRET_FILE, resolveJwtSecret } from './jwt-secret';
import { PAYMENT_WEBHOOK_SECRET_FILE, resolvePaymentWebhookSecret } from './payment-webhook-secret';

describe('resolvePaymentWebhookSecret', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'webhook-secret-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses PAYMENT_WEBHOOK_SECRET when it is set, and writes no file', () => {
    const config = readConfig({ DATA_DIR: dataDir, PAYMENT_WEBHOOK_SECRET: 'the-gateway-shared-secret' });
    expect(resolvePaymentWebhookSecret(config)).toBe('the-gateway-shared-secret');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('in embedded mode, generates one readable by the owner alone, reuses it, and keeps it apart from the JWT secret', () => {
    const first = resolvePaymentWebhookSecret(readConfig({ DATA_DIR: dataDir }));
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const path = join(dataDir, PAYMENT_WEBHOOK_SECRET_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(first);
    expect(resolvePaymentWebhookSecret(readConfig({ DATA_DIR: dataDir }))).toBe(first);
    expect(resolveJwtSecret(readConfig({ DATA_DIR: dataDir }))).not.toBe(first);
    expect(readdirSync(dataDir).sort()).toEqual([JWT_SECRET_FILE, PAYMENT_WEBHOOK_SECRET_FILE]);
  });

  it('refuses a secret file too short to be a secret, naming PAYMENT_WEBHOOK_SECRET', () => {
    writeFileSync(join(dataDir, PAYMENT_WEBHOOK_SECRET_FILE), 'short\n');
    expect(() => resolvePaymentWebhookSecret(readConfig({ DATA_DIR: dataDir }))).toThrow(
      /^Configuration error in PAYMENT_WEBHOOK_SECRET:/,
    );
  });

  it('has none with a Postgres server and no PAYMENT_WEBHOOK_SECRET, and writes no file', () => {
    const config = readConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', DATA_DIR: dataDir });
    expect(resolvePaymentWebhookSecret(config)).toBeUndefined();
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

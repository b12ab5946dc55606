import { ConfigError, readConfig } from './app-config';

describe('readConfig', () => {
  it('runs embedded on PGlite in ./data with the Postgres event store when nothing is set', () => {
    const config = readConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({
      kind: 'embedded',
      dataDir: expect.stringMatching(/\/data$/) as string,
    });
    expect(config.eventStore).toEqual({ kind: 'postgres', pollIntervalMs: 100 });
    expect(config.demoSeed).toBe(true);
    expect(config.runWorker).toBe(true);
    expect(config.corsOrigins).toEqual([]);
    expect(config.rateLimitPerMinute).toBeUndefined();
    expect(config.bodyLimitBytes).toBe(65_536);
  });

  it('uses the Postgres server named by DATABASE_URL, without demo data by default', () => {
    const config = readConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      DATABASE_SCHEMA: 'run_1',
    });
    expect(config.database).toEqual({
      kind: 'server',
      url: 'postgres://postgres@127.0.0.1:5432/test',
      schema: 'run_1',
      poolSize: 20,
    });
    expect(config.demoSeed).toBe(false);
  });

  it('is frozen', () => {
    const config = readConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ EVENT_STORE: 'mongodb' }, 'EVENT_STORE'],
    [{ EVENT_STORE: 'eventstoredb' }, 'EVENTSTORE_CONNECTION_STRING'],
    [
      { EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'http://x' },
      'EVENTSTORE_CONNECTION_STRING',
    ],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_SCHEMA: 'Robert"); drop' }, 'DATABASE_SCHEMA'],
    [{ DEMO_SEED: 'maybe' }, 'DEMO_SEED'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ CORS_ORIGINS: 'portal.example.com' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'https://portal.example.com/app' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ RATE_LIMIT_PER_MINUTE: 'lots' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ BODY_LIMIT: '64 kilobytes' }, 'BODY_LIMIT'],
    [{ BODY_LIMIT: '0' }, 'BODY_LIMIT'],
    [{ BODY_LIMIT: '11mb' }, 'BODY_LIMIT'],
  ])('fails fast naming the variable for %j', (env, variable) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(new RegExp(`^Configuration error in ${variable}:`));
  });

  it('accepts an EventStoreDB connection string when EVENT_STORE=eventstoredb', () => {
    const config = readConfig({
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
    });
    expect(config.eventStore).toEqual({
      kind: 'eventstoredb',
      connectionString: 'esdb://localhost:2113?tls=false',
    });
  });

  it('reads the allowed CORS origins as a comma list, without trailing slashes', () => {
    const config = readConfig({ CORS_ORIGINS: 'https://portal.example.com/, http://localhost:5173' });
    expect(config.corsOrigins).toEqual(['https://portal.example.com', 'http://localhost:5173']);
    expect(Object.isFrozen(config.corsOrigins)).toBe(true);
  });

  it('limits requests per minute only when RATE_LIMIT_PER_MINUTE is set', () => {
    expect(readConfig({ RATE_LIMIT_PER_MINUTE: '120' }).rateLimitPerMinute).toBe(120);
  });

  it.each([
    ['65536', 65_536],
    ['100kb', 102_400],
    ['1MB', 1_048_576],
    ['512 b', 512],
  ])('reads BODY_LIMIT=%s as %d bytes', (raw, bytes) => {
    expect(readConfig({ BODY_LIMIT: raw }).bodyLimitBytes).toBe(bytes);
  });

  it('runs the billing clock hourly, issuing invoices 10 days ahead, unless told otherwise', () => {
    expect(readConfig({}).billingClock).toEqual({ intervalMs: 3_600_000, invoiceLeadDays: 10 });
    expect(
      readConfig({ BILLING_CLOCK_INTERVAL: '15m', BILLING_INVOICE_LEAD_DAYS: '5' }).billingClock,
    ).toEqual({ intervalMs: 900_000, invoiceLeadDays: 5 });
    expect(readConfig({ BILLING_CLOCK_INTERVAL: '90000' }).billingClock.intervalMs).toBe(90_000);
    expect(() => readConfig({ BILLING_CLOCK_INTERVAL: 'hourly' })).toThrow('BILLING_CLOCK_INTERVAL');
    expect(() => readConfig({ BILLING_CLOCK_INTERVAL: '10ms' })).toThrow('BILLING_CLOCK_INTERVAL');
    expect(() => readConfig({ BILLING_INVOICE_LEAD_DAYS: '61' })).toThrow('BILLING_INVOICE_LEAD_DAYS');
  });
});

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
});

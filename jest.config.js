/** Test tiers by file suffix: *.unit.spec.ts, *.int.spec.ts (real Postgres: PGlite or DATABASE_URL), *.e2e.spec.ts. */
const swcTransform = [
  '@swc/jest',
  {
    swcrc: false,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
  },
];

const moduleNameMapper = {
  '^@app/projections$': '<rootDir>/projections/index.ts',
  '^@app/platform/steady-heap$': '<rootDir>/libs/platform/src/start/steady-heap.ts',
  '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
};

const roots = ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/projections'];

// The EventStoreDB contract suite needs a server; without one it is not collected (and not counted).
const eventStoreDbReachable = Boolean(process.env.EVENTSTORE_CONNECTION_STRING);
// Fault tests cut the network to a Postgres server (through a TCP proxy): without DATABASE_URL there is none.
const postgresServer = Boolean(process.env.DATABASE_URL);
const testPathIgnorePatterns = [
  '/node_modules/',
  ...(eventStoreDbReachable ? [] : ['/eventstoredb/']),
  ...(postgresServer ? [] : ['/database-fault\\.e2e\\.spec\\.ts$']),
  // Worker processes share a database with the test: PGlite is inside one process, so these need a server.
  ...(postgresServer ? [] : ['/worker-(crash|failover)\\.e2e\\.spec\\.ts$']),
  // Two workers' leases are advisory locks, which only a server shares between connections.
  ...(postgresServer ? [] : ['/reactor-failover\\.int\\.spec\\.ts$']),
];
if (!process.env.JEST_WORKER_ID) {
  process.stderr.write(
    `Event store contract suite runs on: PGlite` +
      (process.env.DATABASE_URL
        ? ', the Postgres server at DATABASE_URL'
        : ' (DATABASE_URL not set: no Postgres server)') +
      (eventStoreDbReachable
        ? ', EventStoreDB'
        : ' (EVENTSTORE_CONNECTION_STRING not set: no EventStoreDB)') +
      (postgresServer ? '' : '; the database fault test needs DATABASE_URL') +
      '\n',
  );
}

const tier = (name) => ({
  displayName: name,
  roots,
  testEnvironment: 'node',
  // jose ships ES modules only: Node loads them with require(), jest's CommonJS runtime needs them compiled.
  transform: { '^.+\\.ts$': swcTransform, '/node_modules/jose/.+\\.js$': swcTransform },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper,
  testMatch: [`**/*.${name}.spec.ts`],
  testPathIgnorePatterns,
  // With DATABASE_URL: the worker's own database (see jest/worker-databases.js).
  setupFiles: ['<rootDir>/jest/worker-database.setup.js'],
});

/** @type {import('jest').Config} */
module.exports = {
  // A project's own testTimeout is ignored by jest; this one applies to every tier (real databases are slow to start).
  testTimeout: 60_000,
  // Two workers (the machine has two cores), each with a database of its own on the server (created and dropped
  // here): the suite takes about half the time of one.
  maxWorkers: 2,
  globalSetup: '<rootDir>/jest/global-setup.js',
  globalTeardown: '<rootDir>/jest/global-teardown.js',
  projects: [tier('unit'), tier('int'), tier('e2e')],
};

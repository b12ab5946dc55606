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
  '^@app/(domain|event-store|config|read-store|command-handling|testing)$': '<rootDir>/libs/$1/src/index.ts',
};

const roots = ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/projections'];

const tier = (name, timeout) => ({
  displayName: name,
  roots,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swcTransform },
  moduleNameMapper,
  testMatch: [`**/*.${name}.spec.ts`],
  ...(timeout ? { testTimeout: timeout } : {}),
});

/** @type {import('jest').Config} */
module.exports = {
  projects: [tier('unit'), tier('int', 60_000), tier('e2e', 60_000)],
};

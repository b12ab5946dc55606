import { Writable } from 'node:stream';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { App } from 'supertest/types';
import type { Clock } from '@app/command-handling';
import { readConfig, type AppConfig } from '@app/config';
import { CLOCK, signAccessToken, type Caller, type DatabaseOpener } from '@app/platform';
import { openTestDatabase } from '@app/testing';
import { AppModule } from '../app.module';
import { configureHttpApp, HTTP_APP_OPTIONS } from '../http/configure-http-app';

/** What the test app verifies tokens with; sign test tokens with it. */
export const TEST_JWT_SECRET = 'test-secret-of-at-least-32-characters';

/** The card number the specs send where none may go: it must never reach a log line either. */
const TEST_CARD_NUMBERS = ['4111111111111111', '4111 1111 1111 1111'];

/**
 * Every spec's log, checked when its app closes: no token the app minted, no secret it was given and no test
 * card number in any line. Together the e2e specs are the full run whose captured log must be clean.
 */
const secretsInLog = (lines: readonly Record<string, unknown>[], secrets: ReadonlySet<string>): string[] => {
  const found = new Set<string>();
  for (const line of lines) {
    const text = JSON.stringify(line);
    for (const secret of secrets) if (text.includes(secret)) found.add(`${secret.slice(0, 12)}…`);
  }
  return [...found];
};

export type ApiTestApp = Readonly<{
  app: INestApplication;
  /** What supertest's `request()` takes. */
  server: App;
  config: AppConfig;
  /** Every JSON line the app logged so far. */
  logLines: () => readonly Record<string, unknown>[];
  /** A valid bearer token for `caller` (a customer by default). */
  tokenFor: (caller?: Partial<Caller>) => Promise<string>;
  close: () => Promise<void>;
}>;

export type ApiTestAppOptions = Readonly<{
  /** Environment variables on top of the test defaults (silent logs, no in-process worker). */
  env?: Readonly<Record<string, string>>;
  /** Test-only modules (a controller that throws, one with a DTO), registered beside the app, never in it. */
  imports?: ModuleMetadata['imports'];
  /** The clock commands are stamped with, instead of the system's (`fixedClock` to move time on). */
  clock?: Clock;
  /**
   * How the app opens its database instead of `openTestDatabase` (a schema of its own on DATABASE_URL, or
   * in-memory PGlite): a fault test opens one through a TCP proxy it can cut.
   */
  openDatabase?: DatabaseOpener;
}>;

/** The real API on a database of the test's own, as `npm start` assembles it, ready for supertest. */
export const startApiTestApp = async (options: ApiTestAppOptions = {}): Promise<ApiTestApp> => {
  const config = readConfig({ LOG_LEVEL: 'info', RUN_WORKER: 'false', ...options.env });
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const builder = Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        config,
        jwtSecret: TEST_JWT_SECRET,
        openDatabase: options.openDatabase ?? openTestDatabase,
        logger: { destination },
      }),
      ...(options.imports ?? []),
    ],
  });
  if (options.clock) builder.overrideProvider(CLOCK).useValue(options.clock);
  const moduleRef = await builder.compile();
  const app = configureHttpApp(
    moduleRef.createNestApplication({ ...HTTP_APP_OPTIONS, logger: false }),
    config,
  );
  await app.init();
  const secrets = new Set<string>([
    TEST_JWT_SECRET,
    ...TEST_CARD_NUMBERS,
    ...(config.paymentWebhookSecret === undefined ? [] : [config.paymentWebhookSecret]),
  ]);
  return {
    app,
    server: app.getHttpServer() as App,
    config,
    logLines: () => lines,
    tokenFor: async (caller = {}) => {
      const token = await signAccessToken(TEST_JWT_SECRET, {
        userId: 'user-1',
        email: 'ana@example.com',
        roles: ['customer'],
        ...caller,
      });
      secrets.add(token);
      return token;
    },
    close: async () => {
      await app.close();
      const leaked = secretsInLog(lines, secrets);
      if (leaked.length > 0) throw new Error(`secrets reached the log: ${leaked.join(', ')}`);
    },
  };
};

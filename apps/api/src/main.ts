// First: the heap settings must be in place before the modules below fill the heap.
import '@app/platform/steady-heap';
import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Kysely } from 'kysely';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@app/config';
import type { WritePath } from '@app/command-handling';
import { EMBEDDED_DEMO_BOOK, seedDemoBookIfEmpty, type DemoBookDatabase } from '@app/demo-data';
import { DATABASE, DEMO_CALLERS, exitOnConfigError, resolveJwtSecret, WRITE_PATH } from '@app/platform';
import type { DatabaseConnection } from '@app/read-store';
import { AppModule } from './app.module';
import { configureHttpApp, HTTP_APP_OPTIONS } from './http/configure-http-app';
import { demoTokens, startupBanner } from './startup-banner';

/** Nest's module-by-module and route-by-route start-up lines: debug, not what a person starting the API reads. */
const STARTUP_DETAIL = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

const quietStartup = (logger: Logger): LoggerService => ({
  log: (message: unknown, ...rest: unknown[]) =>
    STARTUP_DETAIL.has(String(rest.at(-1))) ? logger.debug(message, ...rest) : logger.log(message, ...rest),
  error: (message: unknown, ...rest: unknown[]) => logger.error(message, ...rest),
  warn: (message: unknown, ...rest: unknown[]) => logger.warn(message, ...rest),
  debug: (message: unknown, ...rest: unknown[]) => logger.debug(message, ...rest),
  verbose: (message: unknown, ...rest: unknown[]) => logger.verbose(message, ...rest),
  fatal: (message: unknown, ...rest: unknown[]) => logger.fatal(message, ...rest),
});

const bootstrap = async (): Promise<void> => {
  const { config, jwtSecret } = exitOnConfigError(() => {
    const config = loadConfig();
    return { config, jwtSecret: resolveJwtSecret(config) };
  });
  const app = await NestFactory.create(AppModule.forRoot({ config, jwtSecret }), {
    ...HTTP_APP_OPTIONS,
    bufferLogs: true,
  });
  const logger = app.get(Logger);
  app.useLogger(quietStartup(logger));
  configureHttpApp(app, config);
  if (config.demoSeed) {
    // A fresh store gets a small demo book (DEMO_SEED=false to start empty); one with history is left alone.
    // It is written before the app starts, so the worker's reactors and clock begin from the seed's checkpoints.
    const database = app.get<DatabaseConnection>(DATABASE);
    const seeded = await seedDemoBookIfEmpty(
      app.get<WritePath>(WRITE_PATH),
      database.db as Kysely<DemoBookDatabase>,
      {
        ...EMBEDDED_DEMO_BOOK,
        firstOwner: DEMO_CALLERS.customer,
        invoiceLeadDays: config.billingClock.invoiceLeadDays,
        now: new Date(),
      },
    );
    if (seeded) {
      logger.log(
        `Seeded a demo book: ${seeded.contracts} contracts, ${seeded.commands} commands over ${seeded.days} days`,
        'Bootstrap',
      );
    }
  }
  await app.listen(config.port);
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const embedded = config.database.kind === 'embedded';
  const lines = startupBanner({
    url: `http://localhost:${port}`,
    storage: `${config.eventStore.kind} on ${embedded ? `embedded PGlite in ${config.dataDir}` : 'the Postgres server'}`,
    workerInProcess: config.runWorker,
    ...(embedded ? { tokens: await demoTokens(jwtSecret) } : {}),
  });
  // The where-to-go text goes to the terminal as it is, not through the logger: tokens never reach a log line,
  // and the curl line can be pasted whole.
  logger.log(`Listening on http://localhost:${port}`, 'Bootstrap');
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
};

void bootstrap();

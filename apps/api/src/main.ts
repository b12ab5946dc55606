import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@app/config';
import { exitOnConfigError, resolveJwtSecret } from '@app/platform';
import { AppModule } from './app.module';
import { configureHttpApp, HTTP_APP_OPTIONS } from './http/configure-http-app';
import { demoTokens, startupBanner } from './startup-banner';

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
  app.useLogger(logger);
  configureHttpApp(app, config);
  await app.listen(config.port);
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const embedded = config.database.kind === 'embedded';
  const lines = startupBanner({
    url: `http://localhost:${port}`,
    storage: `${config.eventStore.kind} on ${embedded ? `embedded PGlite in ${config.dataDir}` : 'the Postgres server'}`,
    workerInProcess: config.runWorker,
    ...(embedded ? { tokens: await demoTokens(jwtSecret) } : {}),
  });
  for (const line of lines) logger.log(line, 'Bootstrap');
};

void bootstrap();

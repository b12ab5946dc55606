import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@app/config';
import { exitOnConfigError, resolveJwtSecret } from '@app/platform';
import { AppModule } from './app.module';
import { configureHttpApp, HTTP_APP_OPTIONS } from './http/configure-http-app';

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
  const url = `http://localhost:${config.port}`;
  const database =
    config.database.kind === 'embedded'
      ? `embedded PGlite in ${config.database.dataDir}`
      : 'the Postgres server';
  logger.log(
    `Área do Cliente API listening on ${url} (health: ${url}/health); event store: ${config.eventStore.kind} on ${database}` +
      (config.runWorker ? '; worker running in this process' : ''),
    'Bootstrap',
  );
};

void bootstrap();

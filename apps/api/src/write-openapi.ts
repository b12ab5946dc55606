import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { readConfig } from '@app/config';
import { openDatabase } from '@app/read-store';
import { AppModule } from './app.module';
import { configureHttpApp, HTTP_APP_OPTIONS } from './http/configure-http-app';
import { buildOpenApiDocument, OPENAPI_FILE } from './http/openapi/openapi-document';

/**
 * `npm run openapi`: writes docs/openapi.json from the app's routes, without listening. The configuration is
 * fixed (not the environment's), so the document depends on the code alone.
 */
const main = async (): Promise<void> => {
  const config = readConfig({ LOG_LEVEL: 'silent', RUN_WORKER: 'false' });
  const app = await NestFactory.create(
    AppModule.forRoot({
      config,
      jwtSecret: 'not-used-the-app-does-not-listen',
      openDatabase: () => openDatabase({ kind: 'memory' }),
    }),
    { ...HTTP_APP_OPTIONS, logger: false },
  );
  try {
    const path = resolve(OPENAPI_FILE);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(buildOpenApiDocument(configureHttpApp(app, config)), null, 2)}\n`);
    process.stdout.write(`Wrote ${OPENAPI_FILE}\n`);
  } finally {
    await app.close();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

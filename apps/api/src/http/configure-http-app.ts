import type { INestApplication, NestApplicationOptions } from '@nestjs/common';

/**
 * How the API app is created, wherever it is (`npm start`, tests, the OpenAPI script): Nest's own body parser
 * is off because {@link JsonBodyMiddleware} reads bodies with the configured limit and the API's errors.
 */
export const HTTP_APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

/** What is set on the app itself rather than in a module: shutdown hooks, so the database is closed on exit. */
export const configureHttpApp = (app: INestApplication): INestApplication => app.enableShutdownHooks();

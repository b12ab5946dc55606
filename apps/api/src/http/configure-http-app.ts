import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import helmet from 'helmet';
import type { AppConfig } from '@app/config';
import { CORRELATION_ID_HEADER, REQUEST_ID_HEADER } from '@app/platform';
import { serveOpenApi } from './openapi/openapi-document';
import { keepUndecodablePathSegmentsLiteral } from './request/undecodable-path';

/**
 * How the API app is created, wherever it is (`npm start`, tests, the OpenAPI script): Nest's own body parser
 * is off because {@link JsonBodyMiddleware} reads bodies with the configured limit and the API's errors.
 */
export const HTTP_APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

/**
 * What is set on the app itself, before any route: undecodable path segments taken literally (see
 * {@link keepUndecodablePathSegmentsLiteral}), security headers (helmet), CORS for CORS_ORIGINS only
 * (none by default: a browser on another origin gets no access), the OpenAPI page at /docs, and shutdown hooks
 * so the database is closed on exit.
 */
export const configureHttpApp = (app: INestApplication, config: AppConfig): INestApplication => {
  app.use(keepUndecodablePathSegmentsLiteral);
  // Served over plain HTTP in development (TLS ends at the proxy in production): upgrading the /docs page's
  // requests to https would break it there.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...config.corsOrigins],
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'Idempotency-Key',
        CORRELATION_ID_HEADER,
        'X-Min-Position',
      ],
      exposedHeaders: [REQUEST_ID_HEADER, CORRELATION_ID_HEADER, 'Retry-After'],
      maxAge: 600,
    });
  }
  serveOpenApi(app);
  return app.enableShutdownHooks();
};

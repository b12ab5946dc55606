import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorBodySchema, FieldProblemSchema } from './error-body.schema';

/** Where the document lives in the repository; `npm run openapi` writes it, a test fails when it drifts. */
export const OPENAPI_FILE = 'docs/openapi.json';

const ERROR_RESPONSE = {
  description: 'Anything but a success: the error body (see ErrorBody for the codes).',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
};

/**
 * The OpenAPI document of the app's routes: bearer (JWT) security on every operation except the @Public() ones,
 * and the error body as every operation's `default` response, so an endpoint documents only its successes.
 */
export const buildOpenApiDocument = (app: INestApplication): OpenAPIObject => {
  const config = new DocumentBuilder()
    .setTitle('Área do Cliente API')
    .setDescription(
      'Customer area of a web-hosting provider: contracts, users and permissions, services, invoices and ' +
        'notas fiscais, tickets, call-backs and payment methods. Authenticate with `Authorization: Bearer <JWT>` ' +
        '(HS256; claims `sub`, `email`, `roles`). Commands accept an `Idempotency-Key` header; ' +
        '`X-Correlation-Id` is echoed and recorded on the events a request causes.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorBodySchema, FieldProblemSchema],
  });
  for (const operations of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = operations[method];
      if (operation) operation.responses = { ...operation.responses, default: ERROR_RESPONSE };
    }
  }
  return document;
};

/** Serves the document: the UI at /docs, the JSON at /docs/openapi.json. */
export const serveOpenApi = (app: INestApplication): void => {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    raw: ['json'],
    swaggerOptions: { persistAuthorization: true },
  });
};

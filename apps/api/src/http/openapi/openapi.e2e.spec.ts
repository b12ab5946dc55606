import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from '../../testing/api-test-app';
import { buildOpenApiDocument, OPENAPI_FILE } from './openapi-document';

describe('OpenAPI', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp();
  });

  afterAll(async () => {
    await api.close();
  });

  it(`matches ${OPENAPI_FILE}; run \`npm run openapi\` after changing an endpoint`, () => {
    const committed = JSON.parse(
      readFileSync(resolve(__dirname, '../../../../..', OPENAPI_FILE), 'utf8'),
    ) as unknown;
    expect(buildOpenApiDocument(api.app)).toEqual(committed);
  });

  it('serves the document at /docs/openapi.json and the UI at /docs, without a token', async () => {
    const json = await request(api.server).get('/docs/openapi.json').expect(200);
    expect(json.body).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(api.app))));
    const ui = await request(api.server).get('/docs').expect(200);
    expect(ui.headers['content-type']).toMatch(/^text\/html/);
    expect(ui.text).toContain('swagger-ui');
  });

  it('declares bearer authentication and the error body', () => {
    const document = buildOpenApiDocument(api.app);
    expect(document.components?.securitySchemes?.bearer).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(document.security).toEqual([{ bearer: [] }]);
    expect(document.components?.schemas?.ErrorBody).toMatchObject({
      required: ['statusCode', 'code', 'message'],
    });
  });
});

@Controller('test-only')
class GuardedController {
  @Get('guarded')
  guarded(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [GuardedController] })
class GuardedModule {}

describe('OpenAPI of an endpoint written later', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp({ imports: [GuardedModule] });
  });

  afterAll(async () => {
    await api.close();
  });

  it('documents it as needing the bearer token, with the error body as its default response', () => {
    const document = buildOpenApiDocument(api.app);
    const guarded = document.paths['/test-only/guarded']?.get;
    expect(guarded?.security).toBeUndefined();
    expect(guarded?.responses.default).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    });
    expect(document.paths['/health']?.get?.security).toEqual([{}]);
  });
});

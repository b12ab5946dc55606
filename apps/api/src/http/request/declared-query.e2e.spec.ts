import request from 'supertest';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { ParameterObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { startApiTestApp, type ApiTestApp } from '../../testing/api-test-app';
import { buildOpenApiDocument } from '../openapi/openapi-document';

type Problem = { field: string; message: string };

/** Every GET operation of the document, with the query parameters it declares and whether it needs a token. */
const getOperations = (document: OpenAPIObject) =>
  Object.entries(document.paths).flatMap(([path, item]) => {
    const operation = item.get;
    if (!operation) return [];
    const parameters = (operation.parameters ?? []) as ParameterObject[];
    return [
      {
        path,
        query: parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
        // `@Public()` routes carry an empty security requirement; the rest inherit the document's bearer one.
        isPublic: operation.security?.length === 1 && Object.keys(operation.security[0]!).length === 0,
      },
    ];
  });

/** A path with its parameters filled in: ids that pass ParseIdPipe (the guard answers before any read). */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'id-1');

describe('query parameters an endpoint does not declare', () => {
  let api: ApiTestApp;
  let staff: string;
  let operations: ReturnType<typeof getOperations>;

  beforeAll(async () => {
    api = await startApiTestApp();
    // Every staff role at once, so no route refuses the caller before it looks at the query string.
    staff = await api.tokenFor({ userId: 'staff-1', roles: ['admin', 'auditor', 'analyst', 'customer'] });
    operations = getOperations(buildOpenApiDocument(api.app));
  });

  afterAll(async () => {
    await api.close();
  });

  it('covers the query endpoints of the contract', () => {
    const paths = operations.filter((operation) => !operation.isPublic).map((operation) => operation.path);
    for (const expected of [
      '/me/contracts',
      '/contracts/{id}/services',
      '/contracts/{id}/notas-fiscais',
      '/audit/contracts/{id}/events',
      '/analytics/status-durations',
      '/admin/notifications',
    ])
      expect(paths).toContain(expected);
  });

  it('are refused with 400 naming each of them, on every GET route behind a token', async () => {
    const guarded = operations.filter((operation) => !operation.isPublic);
    expect(guarded.length).toBeGreaterThan(20);
    for (const { path } of guarded) {
      const response = await request(api.server)
        .get(`${concrete(path)}?limt=10&statuss=open`)
        .set('Authorization', `Bearer ${staff}`);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      const fields = (response.body as { details: Problem[] }).details.map((problem) => problem.field);
      expect({ path, fields }).toEqual({ path, fields: ['limt', 'statuss'] });
    }
  });

  it('let every declared parameter through to the endpoint, which judges its value', async () => {
    for (const { path, query, isPublic } of operations) {
      if (isPublic || query.length === 0) continue;
      const search = new URLSearchParams(query.map((name): [string, string] => [name, 'x'])).toString();
      const response = await request(api.server)
        .get(`${concrete(path)}?${search}`)
        .set('Authorization', `Bearer ${staff}`);
      const details = ((response.body as { details?: Problem[] }).details ?? []).filter((problem) =>
        problem.message.endsWith('is not a parameter of this endpoint'),
      );
      expect({ path, details }).toEqual({ path, details: [] });
    }
  });

  it('change nothing for a caller without a token: 401 first', async () => {
    const response = await request(api.server).get('/contracts/id-1/services?limt=10');
    expect(response.status).toBe(401);
  });

  it('are left alone on the public pages, which probes and widgets fetch with cache-busters', async () => {
    await request(api.server).get('/status?_=1700000000').expect(200);
    await request(api.server).get('/health?probe=1').expect(200);
  });

  it('are still read as before when declared: a bad limit is judged by the list', async () => {
    const response = await request(api.server)
      .get('/me/contracts?limit=0')
      .set('Authorization', `Bearer ${staff}`)
      .expect(400);
    expect((response.body as { details: Problem[] }).details).toEqual([
      { field: 'limit', message: 'limit must be an integer from 1 to 500' },
    ]);
  });
});

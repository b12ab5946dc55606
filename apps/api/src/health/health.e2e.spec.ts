import request from 'supertest';
import { DATABASE } from '@app/platform';
import type { DatabaseConnection } from '@app/read-store';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';

describe('GET /health', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp();
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers 200 with status ok once the database and the event store answer', async () => {
    const response = await request(api.server).get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers 503 with a code when the database is gone', async () => {
    await api.app.get<DatabaseConnection>(DATABASE).close();
    const response = await request(api.server).get('/health').expect(503);
    expect(response.body).toMatchObject({ statusCode: 503, code: 'DEPENDENCY_UNAVAILABLE' });
  });
});

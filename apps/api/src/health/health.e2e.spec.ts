import request from 'supertest';
import { DATABASE } from '@app/platform';
import type { DatabaseConnection } from '@app/read-store';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';

describe('GET /health and GET /ready', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp();
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers both with 200 status ok, without a token, while the database and the event store answer', async () => {
    await request(api.server).get('/health').expect(200, { status: 'ok' });
    await request(api.server).get('/ready').expect(200, { status: 'ok' });
  });

  it('answers /ready with 503 DEPENDENCY_UNAVAILABLE once the database is gone, and /health still with 200', async () => {
    await api.app.get<DatabaseConnection>(DATABASE).close();
    const response = await request(api.server).get('/ready').expect(503);
    expect(response.body).toEqual({
      statusCode: 503,
      code: 'DEPENDENCY_UNAVAILABLE',
      message: 'The database or the event store is not answering.',
    });
    await request(api.server).get('/health').expect(200, { status: 'ok' });
  });
});

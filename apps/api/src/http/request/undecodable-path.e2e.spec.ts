import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from '../../testing/api-test-app';

describe('a path that does not percent-decode', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp();
  });

  afterAll(() => api.close());

  it.each([
    ['/contracts/%/contacts', 400, 'VALIDATION_FAILED'],
    ['/contracts/%E0%A4%A/contacts?x=%zz', 400, 'VALIDATION_FAILED'],
    ['/contracts/ok-id%zz/contacts', 400, 'VALIDATION_FAILED'],
    ['/no-such-route/%zz', 404, 'NOT_FOUND'],
  ])(
    'answers POST %s with %d %s, a request id, the correlation id and one log line',
    async (path, status, code) => {
      const response = await request(api.server)
        .post(path)
        .set('Authorization', `Bearer ${await api.tokenFor()}`)
        .set('X-Correlation-Id', 'portal:undecodable-1')
        .send({ name: 'Financeiro', email: 'financeiro@exemplo.com.br', categories: ['billing'] })
        .expect(status);
      expect(response.body).toMatchObject({ statusCode: status, code });
      const requestId = response.headers['x-request-id'];
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers['x-correlation-id']).toBe('portal:undecodable-1');
      const lines = api
        .logLines()
        .filter((line) => (line.req as { id?: unknown } | undefined)?.id === requestId);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ correlationId: 'portal:undecodable-1', res: { statusCode: status } });
      expect((lines[0]?.req as { url?: string }).url).toBe(path);
    },
  );

  it('refuses the id itself, naming the parameter', async () => {
    const response = await request(api.server)
      .post('/contracts/%zz/contacts')
      .set('Authorization', `Bearer ${await api.tokenFor()}`)
      .send({ name: 'Financeiro', email: 'financeiro@exemplo.com.br', categories: ['billing'] })
      .expect(400);
    expect(response.body).toMatchObject({ details: [{ field: 'id' }] });
  });
});

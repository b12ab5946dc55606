import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from './testing/api-test-app';

describe('request logging and correlation', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp();
  });

  afterAll(async () => {
    await api.close();
  });

  const linesFor = (requestId: string) =>
    api.logLines().filter((line) => (line.req as { id?: unknown } | undefined)?.id === requestId);

  it('echoes a well-formed X-Correlation-Id and logs it with the request id', async () => {
    const response = await request(api.server)
      .get('/no-such-route')
      .set('X-Correlation-Id', 'portal:checkout.42_a-b')
      .expect(404);
    expect(response.headers['x-correlation-id']).toBe('portal:checkout.42_a-b');
    const requestId = response.headers['x-request-id'] as string;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const [line] = linesFor(requestId);
    expect(line).toMatchObject({ correlationId: 'portal:checkout.42_a-b' });
    expect(line?.msg).toMatch(/^GET \/no-such-route 404 in \d+ ms$/);
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['with a space', 'two words'],
    ['with characters outside the allowed set', 'abc/def?x=1'],
  ])('replaces a correlation id %s with a new one', async (_case, given) => {
    const response = await request(api.server)
      .get('/no-such-route')
      .set('X-Correlation-Id', given)
      .expect(404);
    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
  });

  it('gives every request an id of its own', async () => {
    const first = await request(api.server).get('/no-such-route');
    const second = await request(api.server).get('/no-such-route');
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
    expect(first.headers['x-correlation-id']).not.toBe(second.headers['x-correlation-id']);
  });

  it('logs what tells who called and how it ended, not every header', async () => {
    const response = await request(api.server)
      .get('/no-such-route?page=2')
      .set('User-Agent', 'portal/1.0')
      .set('Idempotency-Key', 'key-1')
      .set('X-Unlisted-Header', 'noise');
    const [line] = linesFor(response.headers['x-request-id'] as string);
    expect(line).toMatchObject({
      req: {
        method: 'GET',
        url: '/no-such-route?page=2',
        headers: { 'user-agent': 'portal/1.0', 'idempotency-key': 'key-1' },
      },
      res: { statusCode: 404 },
    });
    const req = line?.req as { headers: Record<string, unknown> };
    expect(req.headers['x-unlisted-header']).toBeUndefined();
    expect(JSON.stringify(line?.res)).not.toMatch(/content-security-policy|x-frame-options/i);
  });

  it('never logs credentials or bodies', async () => {
    const response = await request(api.server)
      .post('/no-such-route')
      .set('Authorization', 'Bearer secret-token-value')
      .set('Cookie', 'session=secret-cookie-value')
      .set('X-Signature', 'secret-signature-value')
      .send({ cardNumber: '4111111111111111', cvv: '123' });
    const lines = JSON.stringify(linesFor(response.headers['x-request-id'] as string));
    expect(lines).toContain('[redacted]');
    for (const secret of [
      'secret-token-value',
      'secret-cookie-value',
      'secret-signature-value',
      '4111111111111111',
    ]) {
      expect(lines).not.toContain(secret);
    }
  });
});

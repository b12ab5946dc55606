import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { Public } from './auth/public.decorator';
import type { ErrorBody } from './errors/error-body';

@Controller('test-only')
class CountedController {
  @Get('a')
  a(): { route: 'a' } {
    return { route: 'a' };
  }

  @Get('b')
  b(): { route: 'b' } {
    return { route: 'b' };
  }

  @Public()
  @Get('public')
  open(): { route: 'public' } {
    return { route: 'public' };
  }
}

@Module({ controllers: [CountedController] })
class CountedModule {}

describe('security headers and CORS', () => {
  describe('with CORS_ORIGINS set', () => {
    let api: ApiTestApp;

    beforeAll(async () => {
      api = await startApiTestApp({
        env: { CORS_ORIGINS: 'https://portal.example.com,http://localhost:5173' },
      });
    });

    afterAll(async () => {
      await api.close();
    });

    it('sends helmet security headers and hides the framework', async () => {
      const response = await request(api.server).get('/health').expect(200);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(response.headers['x-powered-by']).toBeUndefined();
    });

    it('allows a listed origin, and exposes the request and correlation ids to it', async () => {
      const response = await request(api.server)
        .get('/health')
        .set('Origin', 'https://portal.example.com')
        .expect(200);
      expect(response.headers['access-control-allow-origin']).toBe('https://portal.example.com');
      expect(response.headers['access-control-expose-headers']).toContain('X-Correlation-Id');
    });

    it('answers a preflight from a listed origin with the headers a command needs', async () => {
      const response = await request(api.server)
        .options('/contracts')
        .set('Origin', 'http://localhost:5173')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key')
        .expect(204);
      expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(response.headers['access-control-allow-headers']).toMatch(/Authorization.*Idempotency-Key/);
    });

    it('gives an origin that is not listed no CORS header', async () => {
      const response = await request(api.server)
        .get('/health')
        .set('Origin', 'https://evil.example')
        .expect(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('without CORS_ORIGINS', () => {
    let api: ApiTestApp;

    beforeAll(async () => {
      api = await startApiTestApp({ imports: [CountedModule] });
    });

    afterAll(async () => {
      await api.close();
    });

    it('allows no origin at all', async () => {
      const response = await request(api.server).get('/health').set('Origin', 'https://portal.example.com');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('does not limit the rate without RATE_LIMIT_PER_MINUTE', async () => {
      const token = await api.tokenFor();
      for (let i = 0; i < 12; i++) {
        await request(api.server).get('/test-only/a').set('Authorization', `Bearer ${token}`).expect(200);
      }
    });
  });
});

describe('rate limit', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' }, imports: [CountedModule] });
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers the caller over RATE_LIMIT_PER_MINUTE across routes with 429 and Retry-After', async () => {
    const ana = `Bearer ${await api.tokenFor({ userId: 'ana' })}`;
    await request(api.server).get('/test-only/a').set('Authorization', ana).expect(200);
    await request(api.server).get('/test-only/b').set('Authorization', ana).expect(200);
    await request(api.server).get('/test-only/a').set('Authorization', ana).expect(200);
    const limited = await request(api.server).get('/test-only/b').set('Authorization', ana).expect(429);
    expect(limited.body as ErrorBody).toEqual({
      statusCode: 429,
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(
        /^Too many requests: at most 3 a minute\. Try again in \d+ s\.$/,
      ) as string,
    });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('counts each caller on their own, by token subject', async () => {
    const bia = `Bearer ${await api.tokenFor({ userId: 'bia' })}`;
    await request(api.server).get('/test-only/a').set('Authorization', bia).expect(200);
  });

  it('counts anonymous callers by IP on public routes, and never limits the probes', async () => {
    for (let i = 0; i < 3; i++) await request(api.server).get('/test-only/public').expect(200);
    await request(api.server).get('/test-only/public').expect(429);
    for (let i = 0; i < 5; i++) await request(api.server).get('/ready').expect(200);
  });
});

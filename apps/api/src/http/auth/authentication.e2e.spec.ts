import { generateKeyPairSync } from 'node:crypto';
import { Controller, Get, Module } from '@nestjs/common';
import { SignJWT, UnsecuredJWT } from 'jose';
import request from 'supertest';
import type { Caller } from '@app/platform';
import { startApiTestApp, TEST_JWT_SECRET, type ApiTestApp } from '../../testing/api-test-app';
import type { ErrorBody } from '../errors/error-body';
import { CurrentUser } from './current-user.decorator';
import { Public } from './public.decorator';
import { RequireRoles } from './require-roles.decorator';

@Controller('test-only')
class WhoAmIController {
  @Get('me')
  me(@CurrentUser() caller: Caller): Caller {
    return caller;
  }

  @Get('billing-desk')
  @RequireRoles('billing')
  billingDesk(@CurrentUser() caller: Caller): { userId: string } {
    return { userId: caller.userId };
  }

  @Public()
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }
}

@Module({ controllers: [WhoAmIController] })
class WhoAmIModule {}

const key = new TextEncoder().encode(TEST_JWT_SECRET);
const claims = { email: 'ana@example.com', roles: ['customer'] };
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('authentication', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp({ imports: [WhoAmIModule] });
  });

  afterAll(async () => {
    await api.close();
  });

  const refused = async (authorization: string | undefined, reason: RegExp) => {
    const call = request(api.server).get('/test-only/me');
    const response = await (
      authorization === undefined ? call : call.set('Authorization', authorization)
    ).expect(401);
    expect(response.body as ErrorBody).toEqual({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(reason) as string,
    });
    expect(response.headers['www-authenticate']).toBe('Bearer');
  };

  it('lets a valid token in and gives the handler the caller it names', async () => {
    const token = await api.tokenFor({
      userId: 'user-7',
      email: 'bia@example.com',
      roles: ['customer', 'support'],
    });
    const response = await request(api.server)
      .get('/test-only/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(response.body).toEqual({
      userId: 'user-7',
      email: 'bia@example.com',
      roles: ['customer', 'support'],
    });
  });

  it('refuses a request without a token', async () => {
    await refused(undefined, /needs a bearer token/);
    await refused('Basic YWxhZGRpbjpvcGVuc2VzYW1l', /needs a bearer token/);
  });

  it('refuses a token signed with another secret', async () => {
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setExpirationTime(inAnHour())
      .sign(new TextEncoder().encode('another-secret-of-32-characters!!'));
    await refused(`Bearer ${token}`, /signature does not verify/);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const token = new UnsecuredJWT({ ...claims }).setSubject('user-1').setExpirationTime(inAnHour()).encode();
    await refused(`Bearer ${token}`, /not valid/);
  });

  it('refuses an RS256 token, even one whose key the attacker controls', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('user-1')
      .setExpirationTime(inAnHour())
      .sign(privateKey);
    await refused(`Bearer ${token}`, /not signed with HS256/);
  });

  it('refuses an expired token, and one without an expiry', async () => {
    const expired = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 5)
      .sign(key);
    await refused(`Bearer ${expired}`, /expired/);
    const eternal = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .sign(key);
    await refused(`Bearer ${eternal}`, /"exp" claim/);
  });

  it.each([
    ['an unknown role', { ...claims, roles: ['customer', 'superuser'] }, /role the API does not know/],
    ['no roles', { ...claims, roles: [] }, /"roles" claim/],
    ['roles that are not a list', { ...claims, roles: 'admin' }, /"roles" claim/],
    ['no e-mail', { roles: ['customer'] }, /"email" claim/],
  ])('refuses a token with %s', async (_case, payload, reason) => {
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setExpirationTime(inAnHour())
      .sign(key);
    await refused(`Bearer ${token}`, reason);
  });

  it('refuses something that is not a JWT at all', async () => {
    await refused('Bearer not.a.jwt', /not a well-formed signed JWT/);
    await refused('Bearer ', /needs a bearer token/);
  });

  it('lets anyone call a @Public() route', async () => {
    await request(api.server).get('/test-only/open').expect(200, { open: true });
  });

  it('answers 403 FORBIDDEN to a caller without the role a route requires, and lets admin stand in for billing', async () => {
    const customer = await api.tokenFor();
    const forbidden = await request(api.server)
      .get('/test-only/billing-desk')
      .set('Authorization', `Bearer ${customer}`)
      .expect(403);
    expect(forbidden.body).toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: 'This needs one of these roles: billing.',
    });
    for (const roles of [['billing'], ['admin']] as const) {
      const token = await api.tokenFor({ roles });
      await request(api.server)
        .get('/test-only/billing-desk')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
    }
  });
});

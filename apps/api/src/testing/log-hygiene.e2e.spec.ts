import { createHmac } from 'node:crypto';
import { Controller, Get, Module, Post } from '@nestjs/common';
import { SignJWT } from 'jose';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import { StoreUnavailableError } from '@app/event-store';
import { Public } from '../http';
import { startApiTestApp, TEST_JWT_SECRET, type ApiTestApp } from './api-test-app';

const CARD_NUMBER = '4111111111111111';
const CVV = '123';
const CARD_TOKEN = 'tok_visa_9f8e7d6c5b4a3210fedcba98';
const SIGNATURE = createHmac('sha256', 'webhook-secret-of-the-gateway').update('{}').digest('hex');

/** Routes that fail the way only a bug or a dead dependency does, for the "logged once" half. */
@Controller('test-only/log-hygiene')
class FailingController {
  @Post('bug')
  bug(): never {
    throw new TypeError("Cannot read properties of undefined (reading 'owner')");
  }

  @Public()
  @Get('store-down')
  storeDown(): never {
    throw new StoreUnavailableError('The event store database cannot be reached');
  }
}

@Module({ controllers: [FailingController] })
class FailingModule {}

/** Every string in a log line, with the path it sits at. */
const stringsOf = (value: unknown, path = ''): [path: string, text: string][] => {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => stringsOf(child, `${path}.${key}`));
};

const keysOf = (value: unknown): string[] =>
  typeof value !== 'object' || value === null
    ? []
    : Object.entries(value).flatMap(([key, child]) => [key, ...keysOf(child)]);

describe('what the log keeps of a request', () => {
  let api: ApiTestApp;
  let token: string;
  const requestIds: string[] = [];

  const track = (response: request.Response): request.Response => {
    requestIds.push(response.headers['x-request-id'] as string);
    return response;
  };

  beforeAll(async () => {
    api = await startApiTestApp({
      env: { LOG_LEVEL: 'trace', PAYMENT_WEBHOOK_SECRET: 'webhook-secret-of-the-gateway' },
      imports: [FailingModule],
    });
    // As `npm start` does: Nest's own lines (the probes' warnings, the worker's) go through pino too.
    api.app.useLogger(api.app.get(Logger));
    token = await api.tokenFor({ userId: 'u-hygiene', email: 'higiene@exemplo.com.br' });

    const bearer = `Bearer ${token}`;
    const card = { cardNumber: CARD_NUMBER, cvv: CVV };
    const contract = track(
      await request(api.server)
        .post('/contracts')
        .set('Authorization', bearer)
        .set('X-Signature', SIGNATURE)
        .send({ holderName: 'Maria da Silva ME', document: '529.982.247-25', phones: ['+5511987654321'] })
        .expect(201),
    );
    const contractId = (contract.body as { id: string }).id;
    track(
      await request(api.server)
        .post('/contracts')
        .set('Authorization', bearer)
        .send({ holderName: 'Maria', document: '529.982.247-25', phones: ['+5511987654321'], ...card })
        .expect(400),
    );
    track(
      await request(api.server)
        .post(`/contracts/${contractId}/contacts`)
        .set('Authorization', bearer)
        .send({ name: 'Financeiro', email: 'fin@exemplo.com.br', categories: ['billing'], ...card }),
    );
    for (const body of [
      {
        method: 'credit_card',
        cardToken: CARD_TOKEN,
        brand: 'visa',
        last4: '1111',
        expMonth: 12,
        expYear: 2031,
      },
      { method: 'credit_card', cardToken: CARD_TOKEN, ...card },
    ]) {
      track(
        await request(api.server)
          .put(`/contracts/${contractId}/payment-method`)
          .set('Authorization', bearer)
          .send(body),
      );
    }
    track(
      await request(api.server)
        .post('/webhooks/payments')
        .set('X-Signature', SIGNATURE)
        .send({
          invoiceId: 'inv-1',
          transactionId: 'tx-1',
          amountCents: 100,
          method: 'credit_card',
          ...card,
        }),
    );
    // A body the JSON reader cannot parse keeps the raw text on its error.
    track(
      await request(api.server)
        .post('/contracts')
        .set('Authorization', bearer)
        .set('Content-Type', 'application/json')
        .send(`{"cardNumber":"${CARD_NUMBER}","cvv":"${CVV}",`)
        .expect(400),
    );
    // Tokens that do not verify are still credentials someone may reuse.
    const forged = await new SignJWT({ email: 'x@y.co', roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-forged')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-of-at-least-32-chars'));
    track(
      await request(api.server)
        .post('/contracts')
        .set('Authorization', `Bearer ${forged}`)
        .send(card)
        .expect(401),
    );
    track(
      await request(api.server)
        .post('/test-only/log-hygiene/bug')
        .set('Authorization', bearer)
        .set('X-Signature', SIGNATURE)
        .send(card)
        .expect(500),
    );
    track(await request(api.server).get('/test-only/log-hygiene/store-down').expect(503));
  });

  afterAll(() => api.close());

  it('has a line for every request sent, with its id', () => {
    const logged = new Set(api.logLines().map((line) => (line.req as { id?: string } | undefined)?.id));
    expect(requestIds).toHaveLength(10);
    for (const id of requestIds) expect(logged).toContain(id);
  });

  it('holds no token, signature, card number, CVV, card token or JWT secret in any line', () => {
    const secrets = [token, token.split('.')[2]!, SIGNATURE, CARD_NUMBER, CARD_TOKEN, TEST_JWT_SECRET];
    for (const line of api.logLines()) {
      const text = JSON.stringify(line);
      for (const secret of secrets) expect(text).not.toContain(secret);
      // "123" is too short to look for as text (a content length may be 123): no string of a line is the
      // CVV, and no line has the fields of a card at all.
      const cvvs = stringsOf(line).filter(([path, value]) => value.includes(CVV) && !/length$/.test(path));
      expect(cvvs.filter(([, value]) => value === CVV || value.includes(`"${CVV}"`))).toEqual([]);
      expect(keysOf(line)).not.toEqual(expect.arrayContaining(['cardNumber']));
      expect(keysOf(line)).not.toEqual(expect.arrayContaining(['cvv']));
    }
  });

  it('logs a bug once, with the request id and its stack', () => {
    const requestId = requestIds.at(-2)!;
    const lines = api.logLines().filter((line) => JSON.stringify(line).includes("reading 'owner'"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, req: { id: requestId }, res: { statusCode: 500 } });
    expect((lines[0]?.err as { stack?: string }).stack).toContain('FailingController.bug');
  });

  it('logs a dependency failure once, with the request id, as an error', () => {
    const requestId = requestIds.at(-1)!;
    const lines = api.logLines().filter((line) => JSON.stringify(line).includes('StoreUnavailableError'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, req: { id: requestId }, res: { statusCode: 503 } });
  });
});

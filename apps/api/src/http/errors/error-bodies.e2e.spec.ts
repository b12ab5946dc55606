import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import request from 'supertest';
import { DomainError } from '@app/domain';
import { ConcurrencyError } from '@app/event-store';
import { startApiTestApp, type ApiTestApp } from '../../testing/api-test-app';
import { Public } from '../auth/public.decorator';
import { ParseIdPipe } from '../request/parse-id.pipe';
import type { ErrorBody } from './error-body';

const errorBody = (response: { body: unknown }): ErrorBody => response.body as ErrorBody;

class AddressRequest {
  @IsString()
  city!: string;
}

class EchoRequest {
  @IsString()
  @MaxLength(50)
  holderName!: string;

  @IsArray()
  @Matches(/^\+\d{8,15}$/, { each: true, message: 'each phone must be an E.164 number' })
  phones!: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => AddressRequest)
  address?: AddressRequest;
}

const handled: string[] = [];

@Public()
@Controller('test-only')
class TestOnlyController {
  @Post('echo')
  echo(@Body() body: EchoRequest): EchoRequest {
    return body;
  }

  @Get('items/:itemId')
  item(@Param('itemId', ParseIdPipe) itemId: string): { itemId: string } {
    handled.push(itemId);
    return { itemId };
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret internals: password=hunter2 at /srv/app/dist/thing.js');
  }

  @Get('refused')
  refused(): never {
    throw new DomainError('OWNER_NOT_EDITABLE', "The owner's permissions cannot be changed.");
  }

  @Get('conflict')
  conflict(): never {
    throw new ConcurrencyError('contract-1', 3, 5);
  }
}

@Module({ controllers: [TestOnlyController] })
class TestOnlyModule {}

describe('error bodies', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp({ imports: [TestOnlyModule] });
  });

  afterAll(async () => {
    await api.close();
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const response = await request(api.server).get('/no/such/route').expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Cannot GET /no/such/route',
    });
  });

  it('answers malformed JSON with 400 VALIDATION_FAILED, without quoting the body', async () => {
    const response = await request(api.server)
      .post('/test-only/echo')
      .set('Content-Type', 'application/json')
      .send('{"holderName":"Ana","cardNumber":4111111111111111,')
      .expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'The request is not valid: check body.',
      details: [{ field: 'body', message: 'body must be valid JSON' }],
    });
    expect(response.text).not.toContain('4111');
  });

  it.each([
    ['text/plain', 'holderName=Ana'],
    ['application/x-www-form-urlencoded', 'holderName=Ana'],
    ['application/xml', '<holderName>Ana</holderName>'],
  ])('answers a %s body with 415 UNSUPPORTED_MEDIA_TYPE', async (type, body) => {
    const response = await request(api.server)
      .post('/test-only/echo')
      .set('Content-Type', type)
      .send(body)
      .expect(415);
    expect(response.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers JSON in a charset other than UTF-8 with 415', async () => {
    await request(api.server)
      .post('/test-only/echo')
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{"holderName":"Ana","phones":[]}')
      .expect(415);
  });

  it('answers a body over the 64 kB default limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await request(api.server)
      .post('/test-only/echo')
      .send({ holderName: 'Ana', phones: [], padding: 'x'.repeat(64 * 1024) })
      .expect(413);
    expect(response.body).toEqual({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is larger than the limit of 65536 bytes.',
    });
  });

  it('reads a body just under the limit', async () => {
    // Rejected for its unknown field, not for its size: it was read.
    const response = await request(api.server)
      .post('/test-only/echo')
      .send({ holderName: 'Ana', phones: [], padding: 'x'.repeat(60 * 1024) })
      .expect(400);
    expect(errorBody(response).details).toEqual([
      { field: 'padding', message: 'property padding should not exist' },
    ]);
  });

  it('lists each bad field, nested ones by path, without echoing a value', async () => {
    const response = await request(api.server)
      .post('/test-only/echo')
      .send({ holderName: 42, phones: ['+5511987654321', 'call me'], address: { city: 7 } })
      .expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'The request is not valid: check holderName, phones, address.city.',
      details: [
        {
          field: 'holderName',
          message: 'holderName must be shorter than or equal to 50 characters; holderName must be a string',
        },
        { field: 'phones', message: 'each phone must be an E.164 number' },
        { field: 'address.city', message: 'city must be a string' },
      ],
    });
    expect(response.text).not.toContain('call me');
  });

  it('refuses card-like fields it does not know, naming them and never echoing them', async () => {
    const response = await request(api.server)
      .post('/test-only/echo')
      .send({ holderName: 'Ana', phones: [], cardNumber: '4111111111111111', cvv: '123' })
      .expect(400);
    expect(errorBody(response).details).toEqual([
      { field: 'cardNumber', message: 'property cardNumber should not exist' },
      { field: 'cvv', message: 'property cvv should not exist' },
    ]);
    expect(response.text).not.toMatch(/4111111111111111|"123"/);
  });

  it('answers a JSON array where an object is expected with 400, and an empty body by listing the required fields', async () => {
    await request(api.server)
      .post('/test-only/echo')
      .send([{ holderName: 'Ana' }])
      .expect(400);
    const empty = await request(api.server).post('/test-only/echo').expect(400);
    expect((errorBody(empty).details as { field: string }[]).map((problem) => problem.field)).toEqual([
      'holderName',
      'phones',
    ]);
  });

  it.each([
    [
      'nested 40 levels deep',
      `{"holderName":"Ana","phones":[],"address":${'['.repeat(40)}${']'.repeat(40)}}`,
      'body',
    ],
    ['of 30 000 brackets', `${'['.repeat(30_000)}${']'.repeat(30_000)}`, 'body'],
    ['with a __proto__ key', '{"holderName":"Ana","phones":[],"__proto__":{"admin":true}}', '__proto__'],
    [
      'with a nested constructor key',
      '{"holderName":"Ana","phones":[],"address":{"constructor":{}}}',
      'address.constructor',
    ],
    // class-transformer would drop these silently: a whitelist never sees a name the object inherits.
    ['with a toString key', '{"holderName":"Ana","phones":[],"toString":"123"}', 'toString'],
    [
      'with a nested valueOf key',
      '{"holderName":"Ana","phones":[],"address":{"valueOf":1}}',
      'address.valueOf',
    ],
  ])('refuses a body %s with 400 before any DTO sees it', async (_case, body, field) => {
    const response = await request(api.server)
      .post('/test-only/echo')
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(400);
    expect(errorBody(response)).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field }] });
  });

  it('refuses a malformed path id with 400 before the handler runs', async () => {
    handled.length = 0;
    for (const id of ['a.b', 'x'.repeat(65), "1' or '1'='1", '%E0%A4%A']) {
      const response = await request(api.server)
        .get(`/test-only/items/${encodeURIComponent(id)}`)
        .expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'itemId' }] });
    }
    await request(api.server).get('/test-only/items/3f2b8c1e-7d4a-4b9e-9c1f-2a6d5e8b7c90').expect(200);
    await request(api.server).get('/test-only/items/inv_2026-11').expect(200);
    expect(handled).toEqual(['3f2b8c1e-7d4a-4b9e-9c1f-2a6d5e8b7c90', 'inv_2026-11']);
  });

  it('answers a broken percent-escape in the path with 400, not 500', async () => {
    const response = await request(api.server).get('/test-only/items/%E0%A4%A').expect(400);
    expect(errorBody(response).code).toBe('VALIDATION_FAILED');
  });

  it('answers a domain refusal with 422 and its code, and a conflict left after the retries with 409', async () => {
    const refused = await request(api.server).get('/test-only/refused').expect(422);
    expect(refused.body).toEqual({
      statusCode: 422,
      code: 'OWNER_NOT_EDITABLE',
      message: "The owner's permissions cannot be changed.",
    });
    const conflict = await request(api.server).get('/test-only/conflict').expect(409);
    expect(errorBody(conflict).code).toBe('CONCURRENCY_CONFLICT');
  });

  it('answers a bug with 500 INTERNAL that shows no internals, and logs it once with the request id', async () => {
    const response = await request(api.server).get('/test-only/boom').expect(500);
    const requestId = response.headers['x-request-id'] as string;
    expect(response.body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: `Something went wrong on our side. Quote request id ${requestId} to support.`,
    });
    expect(response.text).not.toMatch(/hunter2|\/srv|stack|Error/);
    const logged = api.logLines().filter((line) => JSON.stringify(line).includes('secret internals'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 50, req: { id: requestId } });
    expect((logged[0]?.err as { stack?: string }).stack).toContain('secret internals');
  });
});

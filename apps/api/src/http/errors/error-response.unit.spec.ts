import {
  BadRequestException,
  HttpStatus,
  InternalServerErrorException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { DomainError, InvalidValueError, type DomainErrorCode } from '@app/domain';
import { ConcurrencyError, StoreUnavailableError } from '@app/event-store';
import { ApiError, RequestValidationError } from './api-error';
import { isDependencyUnavailable } from './dependency-errors';
import { DOMAIN_ERROR_STATUS } from './domain-error-status';
import { errorResponse } from './error-response';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('errorResponse', () => {
  it.each(
    Object.entries(DOMAIN_ERROR_STATUS).filter(([, status]) => status !== HttpStatus.BAD_REQUEST) as [
      DomainErrorCode,
      HttpStatus,
    ][],
  )('answers the domain refusal %s with %d and its own code', (code, status) => {
    const { status: answered, body } = errorResponse(new DomainError(code, 'Refused for a reason.'));
    expect(answered).toBe(status);
    expect(body).toEqual({ statusCode: status, code, message: 'Refused for a reason.' });
  });

  it('answers every business-rule refusal with 422, and only NOT_FOUND, FORBIDDEN and the wrong invitee otherwise', () => {
    const not422 = Object.entries(DOMAIN_ERROR_STATUS)
      .filter(([, status]) => status !== HttpStatus.UNPROCESSABLE_ENTITY)
      .map(([code]) => code)
      .sort();
    expect(not422).toEqual(['FORBIDDEN', 'INVITATION_NOT_FOR_YOU', 'NOT_FOUND', 'VALIDATION_FAILED']);
    expect(DOMAIN_ERROR_STATUS.NOT_FOUND).toBe(404);
    expect(DOMAIN_ERROR_STATUS.FORBIDDEN).toBe(403);
  });

  it('shows what a refused rule saw on a 422, and nothing on a 404 that could reveal the contract', () => {
    const transition = errorResponse(
      new DomainError('INVALID_TRANSITION', 'Cannot go there.', { from: 'cancelled' }),
    );
    expect(transition.body.details).toEqual({ from: 'cancelled' });
    const missing = errorResponse(new DomainError('NOT_FOUND', 'No such invoice', { from: 'paid' }));
    expect(missing.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'No such invoice' });
  });

  it('answers a value the domain refused as 400 VALIDATION_FAILED naming the field', () => {
    const { status, body } = errorResponse(new InvalidValueError('document', 'not a valid CPF or CNPJ'));
    expect(status).toBe(400);
    expect(body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'not a valid CPF or CNPJ',
      details: [{ field: 'document', message: 'not a valid CPF or CNPJ' }],
    });
  });

  it('answers a request validation error with every field and a message naming them', () => {
    const { status, body } = errorResponse(
      new RequestValidationError([
        { field: 'holderName', message: 'holderName must be a string' },
        { field: 'phones[0]', message: 'each phone must be E.164' },
      ]),
    );
    expect(status).toBe(400);
    expect(body.message).toBe('The request is not valid: check holderName, phones[0].');
    expect(body.details).toHaveLength(2);
  });

  it('answers a concurrency conflict left after the retries with 409 CONCURRENCY_CONFLICT, naming no stream', () => {
    const { status, body } = errorResponse(new ConcurrencyError('contract-42', 3, 4));
    expect(status).toBe(409);
    expect(body.code).toBe('CONCURRENCY_CONFLICT');
    expect(body.message).not.toContain('contract-42');
  });

  it.each([
    ['the store', new StoreUnavailableError('leader lost')],
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    [
      'a server shutting down (57P01)',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    ['a connection failure (08006)', withCode('connection failure', '08006')],
    ['a statement timeout (57014)', withCode('canceling statement due to statement timeout', '57014')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a closed PGlite', new Error('PGlite is closed')],
    ['a destroyed Kysely', new Error('driver has already been destroyed')],
    ['every address refused', new AggregateError([withCode('refused', 'ECONNREFUSED')], 'all failed')],
    ['a cause', new Error('append failed', { cause: withCode('x', 'ECONNRESET') })],
  ])('answers %s with 503 DEPENDENCY_UNAVAILABLE, logged', (_case, error) => {
    const { status, body, unexpected } = errorResponse(error);
    expect(status).toBe(503);
    expect(body.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(body.message).not.toMatch(/ECONN|57P01|PGlite|Kysely|127\.0\.0\.1/);
    expect(unexpected).toBe(true);
  });

  it.each([
    [
      'a unique violation',
      withCode('duplicate key value violates unique constraint "es_events_pkey"', '23505'),
    ],
    ['a syntax error in our SQL', withCode('syntax error at or near "selec"', '42601')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'state')")],
    ['a thrown string', 'boom'],
  ])('answers %s with 500 INTERNAL that says nothing about it', (_case, error) => {
    const { status, body, unexpected } = errorResponse(error, 'req-1');
    expect(status).toBe(500);
    expect(body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Something went wrong on our side. Quote request id req-1 to support.',
    });
    expect(unexpected).toBe(true);
  });

  it("gives Nest's HTTP exceptions the same body, with the contract's code for the status", () => {
    expect(errorResponse(new NotFoundException('Cannot GET /nope')).body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Cannot GET /nope',
    });
    expect(errorResponse(new BadRequestException('Validation failed (uuid is expected)')).body.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      errorResponse(new InternalServerErrorException('db password is hunter2')).body.message,
    ).not.toContain('hunter2');
  });

  it('keeps the code an endpoint chose, and adds WWW-Authenticate to a 401', () => {
    const stale = errorResponse(
      new ServiceUnavailableException({ code: 'STALE_READ_MODEL', message: 'The read model is behind.' }),
    );
    expect(stale.body).toEqual({
      statusCode: 503,
      code: 'STALE_READ_MODEL',
      message: 'The read model is behind.',
    });
    const unauthenticated = errorResponse(new ApiError(401, 'UNAUTHENTICATED', 'No token.'));
    expect(unauthenticated.headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
    const limited = errorResponse(
      new ApiError(429, 'TOO_MANY_REQUESTS', 'Slow down.', undefined, { 'Retry-After': '7' }),
    );
    expect(limited.headers).toEqual({ 'Retry-After': '7' });
    expect(limited.unexpected).toBe(false);
  });
});

describe('isDependencyUnavailable', () => {
  it('does not take a request problem for a dependency failure', () => {
    expect(isDependencyUnavailable(withCode('invalid input syntax for type uuid', '22P02'))).toBe(false);
    expect(isDependencyUnavailable(new Error('ECONNREFUSED mentioned in a message only'))).toBe(false);
    expect(isDependencyUnavailable(undefined)).toBe(false);
  });
});

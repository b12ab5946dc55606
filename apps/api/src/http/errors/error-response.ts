import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { ConcurrencyError } from '@app/event-store';
import { ApiError } from './api-error';
import { isDependencyUnavailable } from './dependency-errors';
import { DOMAIN_ERROR_STATUS } from './domain-error-status';
import type { ErrorBody, FieldProblem } from './error-body';

/** What to answer for an error: status, body and headers; `unexpected` ones are logged with their cause. */
export type ErrorResponse = Readonly<{
  status: number;
  body: ErrorBody;
  headers: Readonly<Record<string, string>>;
  /** A bug or a dependency failure: the cause goes to the log (once), never to the client. */
  unexpected: boolean;
}>;

/** The contract's code for an HTTP status, where the error brings none of its own. */
const CODE_BY_STATUS: Readonly<Partial<Record<number, string>>> = {
  [HttpStatus.BAD_REQUEST]: 'VALIDATION_FAILED',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHENTICATED',
  [HttpStatus.INTERNAL_SERVER_ERROR]: 'INTERNAL',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'DEPENDENCY_UNAVAILABLE',
};

const codeForStatus = (status: number): string => {
  const name: string | undefined = HttpStatus[status]; // NOT_FOUND, PAYLOAD_TOO_LARGE, TOO_MANY_REQUESTS…
  return CODE_BY_STATUS[status] ?? name ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
};

const HEADERS_BY_STATUS: Readonly<Partial<Record<number, Readonly<Record<string, string>>>>> = {
  [HttpStatus.UNAUTHORIZED]: { 'WWW-Authenticate': 'Bearer' },
};

const answer = (
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers: Readonly<Record<string, string>> = {},
  unexpected = false,
): ErrorResponse => ({
  status,
  body: { statusCode: status, code, message, ...(details === undefined ? {} : { details }) },
  headers: { ...HEADERS_BY_STATUS[status], ...headers },
  unexpected,
});

const internal = (requestId: string | undefined): ErrorResponse =>
  answer(
    HttpStatus.INTERNAL_SERVER_ERROR,
    'INTERNAL',
    requestId === undefined
      ? 'Something went wrong on our side.'
      : `Something went wrong on our side. Quote request id ${requestId} to support.`,
    undefined,
    {},
    true,
  );

const fromDomainError = (error: DomainError): ErrorResponse => {
  const status = DOMAIN_ERROR_STATUS[error.code];
  if (status === HttpStatus.BAD_REQUEST) {
    const field = error.details?.field;
    const problem: FieldProblem = {
      field: typeof field === 'string' ? field : 'body',
      message: error.message,
    };
    return answer(status, 'VALIDATION_FAILED', error.message, [problem]);
  }
  // What a refused rule saw (the state it was in) helps a client fix a 422; on a 403 or a 404 it could tell a
  // stranger that the contract exists.
  const details = status === HttpStatus.UNPROCESSABLE_ENTITY ? error.details : undefined;
  return answer(status, error.code, error.message, details);
};

const fromHttpException = (exception: HttpException, requestId: string | undefined): ErrorResponse => {
  const status = exception.getStatus();
  if (status >= 500 && status !== 503) return internal(requestId);
  const response = exception.getResponse();
  const fields =
    typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
  const code = typeof fields.code === 'string' ? fields.code : codeForStatus(status);
  const message =
    typeof response === 'string'
      ? response
      : typeof fields.message === 'string'
        ? fields.message
        : exception.message;
  return answer(status, code, message, fields.details);
};

/**
 * The one translation of anything thrown while serving a request into the API's answer (shared/api.md):
 * our own ApiErrors as they are, domain refusals by their code, a concurrency conflict left after the retries
 * as 409, an unreachable dependency as 503, Nest's HTTP exceptions with the same body, and anything else as a
 * 500 that says nothing about our internals.
 */
export const errorResponse = (error: unknown, requestId?: string): ErrorResponse => {
  if (error instanceof ApiError)
    return answer(error.status, error.code, error.message, error.details, error.headers);
  if (error instanceof DomainError) return fromDomainError(error);
  if (error instanceof ConcurrencyError) {
    return answer(
      HttpStatus.CONFLICT,
      'CONCURRENCY_CONFLICT',
      'Someone else changed this at the same time, more than once; send the request again.',
    );
  }
  if (isDependencyUnavailable(error)) {
    return answer(
      HttpStatus.SERVICE_UNAVAILABLE,
      'DEPENDENCY_UNAVAILABLE',
      'The database or the event store is not answering; try again shortly.',
      undefined,
      {},
      true,
    );
  }
  if (error instanceof HttpException) return fromHttpException(error, requestId);
  return internal(requestId);
};

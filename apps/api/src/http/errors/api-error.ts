import { HttpStatus } from '@nestjs/common';
import type { FieldProblem } from './error-body';

/**
 * An answer an endpoint gives on purpose, with the contract's code: `new ApiError(503, 'STALE_READ_MODEL', …)`.
 * The exception filter turns it into the error body as it is.
 */
export class ApiError extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Response headers that go with the answer (`Retry-After`). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** 400 VALIDATION_FAILED listing each bad field; the message names the fields, never their values. */
export class RequestValidationError extends ApiError {
  constructor(readonly problems: readonly FieldProblem[]) {
    const fields = [...new Set(problems.map((problem) => problem.field))];
    super(
      HttpStatus.BAD_REQUEST,
      'VALIDATION_FAILED',
      `The request is not valid: check ${fields.join(', ')}.`,
      problems,
    );
    this.name = 'RequestValidationError';
  }
}

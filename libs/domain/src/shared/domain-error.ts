/**
 * Codes of refused business rules. Each maps to HTTP 422 (NOT_FOUND to 404) in the API's exception filter;
 * the names are fixed by the public API contract (shared/api.md).
 */
export type DomainErrorCode =
  | 'OWNER_NOT_EDITABLE'
  | 'CANNOT_EDIT_SELF'
  | 'ALREADY_A_USER'
  | 'INVITATION_PENDING'
  | 'INVITATION_EXPIRED'
  | 'INVALID_TRANSITION'
  | 'PAYMENT_AMOUNT_MISMATCH'
  | 'INVOICE_NOT_OPEN'
  | 'NOTA_FISCAL_NOT_ALLOWED'
  | 'CALLBACK_ALREADY_OPEN'
  | 'SUSPENDED_BY_STAFF'
  | 'PHONE_NOT_ON_CONTRACT'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID_VALUE'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FORBIDDEN'
  | 'INVITATION_NOT_FOR_YOU';

/** A business rule refused a command. `code` is stable and part of the API; `message` is for a person. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Thrown by value-object constructors on bad input (a CPF with a wrong check digit, a malformed e-mail). */
export class InvalidValueError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('INVALID_VALUE', message, { field });
    this.name = 'InvalidValueError';
  }
}

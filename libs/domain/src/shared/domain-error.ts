/**
 * Codes of refused commands, stable and part of the public API (shared/api.md, docs/domain.md). The API's
 * exception filter maps them: `VALIDATION_FAILED` to 400 (a value that does not parse), `FORBIDDEN` to 403,
 * `NOT_FOUND` to 404, every other code to 422 (a business rule refused the command).
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
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FORBIDDEN'
  | 'INVITATION_NOT_FOR_YOU';

/** A command was refused. `code` is stable and part of the API; `message` is for a person. */
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

/**
 * A value in a command does not parse (a CPF with a wrong check digit, a malformed e-mail): `VALIDATION_FAILED`,
 * with `details.field` naming the field, the same code as the API's 400 answer.
 */
export class InvalidValueError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('VALIDATION_FAILED', message, { field });
    this.name = 'InvalidValueError';
  }
}

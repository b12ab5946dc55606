import { HttpStatus } from '@nestjs/common';
import type { DomainErrorCode } from '@app/domain';

/**
 * The HTTP status of every refusal the domain can give. Exhaustive on purpose: a new code does not compile
 * until it is given a status here (and documented in the API contract).
 */
export const DOMAIN_ERROR_STATUS: Readonly<Record<DomainErrorCode, HttpStatus>> = {
  OWNER_NOT_EDITABLE: HttpStatus.UNPROCESSABLE_ENTITY,
  CANNOT_EDIT_SELF: HttpStatus.UNPROCESSABLE_ENTITY,
  ALREADY_A_USER: HttpStatus.UNPROCESSABLE_ENTITY,
  INVITATION_PENDING: HttpStatus.UNPROCESSABLE_ENTITY,
  INVITATION_EXPIRED: HttpStatus.UNPROCESSABLE_ENTITY,
  INVALID_TRANSITION: HttpStatus.UNPROCESSABLE_ENTITY,
  PAYMENT_AMOUNT_MISMATCH: HttpStatus.UNPROCESSABLE_ENTITY,
  INVOICE_NOT_OPEN: HttpStatus.UNPROCESSABLE_ENTITY,
  NOTA_FISCAL_NOT_ALLOWED: HttpStatus.UNPROCESSABLE_ENTITY,
  CALLBACK_ALREADY_OPEN: HttpStatus.UNPROCESSABLE_ENTITY,
  SUSPENDED_BY_STAFF: HttpStatus.UNPROCESSABLE_ENTITY,
  PHONE_NOT_ON_CONTRACT: HttpStatus.UNPROCESSABLE_ENTITY,
  IDEMPOTENCY_KEY_REUSED: HttpStatus.UNPROCESSABLE_ENTITY,
  // Something that is already there (a contact, a phone, an invoice issued) is a refused rule, not a race:
  // 409 stays reserved for CONCURRENCY_CONFLICT, which a client may simply retry.
  ALREADY_EXISTS: HttpStatus.UNPROCESSABLE_ENTITY,
  // A value object refused the input (a CPF with a wrong check digit): bad input, like a DTO's refusal.
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  INVITATION_NOT_FOR_YOU: HttpStatus.FORBIDDEN,
};

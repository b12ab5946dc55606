import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { RequestValidationError } from '../errors/api-error';
import type { FieldProblem } from '../errors/error-body';

/** Where a field is: `name`, `address.city`, `phones[1]`; the body itself is `body`. */
export const fieldPath = (parent: string, property: string | undefined): string => {
  if (property === undefined || property === '') return parent === '' ? 'body' : parent;
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent === '' ? property : `${parent}.${property}`;
};

/** Flattens class-validator's tree into one problem per bad field: `phones[1]`, `address.city`. */
export const fieldProblems = (errors: readonly ValidationError[], parent = ''): FieldProblem[] =>
  errors.flatMap((error) => {
    const field = fieldPath(parent, error.property);
    const own = error.constraints ? [{ field, message: Object.values(error.constraints).join('; ') }] : [];
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });

/**
 * The global pipe for inbound DTOs: unknown fields are refused, not silently stripped (a `cardNumber` sent to
 * the payment-method endpoint must be a 400, never dropped and never echoed), values are converted to the
 * DTO's types, and the answer is 400 VALIDATION_FAILED listing each field. The problems carry no values:
 * class-validator's messages name the field and the rule, and a DTO must not use `$value` in its own.
 */
export const createValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(fieldProblems(errors)),
  });

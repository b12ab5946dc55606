import { Injectable, type PipeTransform } from '@nestjs/common';
import { RequestValidationError } from '../errors/api-error';

/**
 * `@Body(EmptyBodyPipe) _body: unknown` on a command that takes no field (a closure, a cancellation): no body or
 * `{}` passes, and any field is refused as an unknown field is anywhere else. A DTO class without properties
 * cannot say this: the validation pipe refuses an instance of a class it has no rules for.
 */
@Injectable()
export class EmptyBodyPipe implements PipeTransform<unknown, undefined> {
  transform(value: unknown): undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new RequestValidationError([{ field: 'body', message: 'body must be an empty object' }]);
    }
    const fields = Object.keys(value);
    if (fields.length === 0) return undefined;
    throw new RequestValidationError(
      fields.map((field) => ({ field, message: `property ${field} should not exist` })),
    );
  }
}

import { Injectable, type PipeTransform } from '@nestjs/common';
import { RequestValidationError } from '../../http';

/**
 * `@Body(NoFieldsPipe)` on a command that takes no field: no body, or an empty object. Any field is refused as
 * the validation pipe refuses an unknown one (a DTO with no property cannot say so: class-validator takes an
 * object of a class without rules for an unknown value).
 */
@Injectable()
export class NoFieldsPipe implements PipeTransform<unknown, undefined> {
  transform(value: unknown): undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new RequestValidationError([{ field: 'body', message: 'this command takes no body' }]);
    }
    const fields = Object.keys(value);
    if (fields.length === 0) return undefined;
    throw new RequestValidationError(
      fields.map((field) => ({ field, message: `property ${field} should not exist` })),
    );
  }
}

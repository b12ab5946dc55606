import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { RequestValidationError } from '../errors/api-error';

/**
 * What an id in a path looks like: 1 to 64 letters, digits, `_` or `-`. UUIDs (what the API gives out) pass,
 * as do ids derived from them; anything else — dots, slashes, spaces, percent-escapes, overlong input — is
 * refused before any read.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** `@Param('id', ParseIdPipe) id: string`: a malformed id is a 400 VALIDATION_FAILED naming the parameter. */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && ID_PATTERN.test(value)) return value;
    const field = metadata.data ?? 'id';
    throw new RequestValidationError([
      { field, message: `${field} must be 1 to 64 letters, digits, "_" or "-"` },
    ]);
  }
}

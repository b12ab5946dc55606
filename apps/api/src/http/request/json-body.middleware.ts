import { HttpStatus, Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { AppConfig } from '@app/config';
import { APP_CONFIG } from '@app/platform';
import { ApiError, RequestValidationError } from '../errors/api-error';
import type { FieldProblem } from '../errors/error-body';
import { fieldPath } from './validation.pipe';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Deeper than any request of the API nests; the transformer and validator recurse through a body, and a
 * 64 kB body of brackets would otherwise overflow their stack (a 500 for bad input).
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Keys class-transformer drops without a word — every name an object inherits (`toString`, `valueOf`,
 * `__proto__`, `constructor`…), so a DTO's whitelist never sees them — and `prototype`: refused like any unknown
 * field.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

/**
 * What is wrong with the shape of a parsed body before any DTO sees it: nesting deeper than
 * {@link MAX_BODY_DEPTH}, or a prototype key. Walked without recursion, so no body can exhaust the stack.
 */
export const bodyShapeProblem = (body: unknown): FieldProblem | undefined => {
  const pending: [value: unknown, path: string, depth: number][] = [[body, '', 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, path, depth] = next;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_BODY_DEPTH) {
      return { field: 'body', message: `body must not nest more than ${MAX_BODY_DEPTH} levels deep` };
    }
    for (const [key, child] of Object.entries(value)) {
      const field = fieldPath(path, key);
      if (FORBIDDEN_KEYS.has(key)) return { field, message: `property ${key} should not exist` };
      pending.push([child, field, depth + 1]);
    }
  }
  return undefined;
};

/** A body is there when it is chunked or its length is more than zero (a bare `Content-Length: 0` is no body). */
const hasBody = (req: Request): boolean =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

const unsupportedMediaType = (): ApiError =>
  new ApiError(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'UNSUPPORTED_MEDIA_TYPE',
    'The request body must be JSON (Content-Type: application/json, UTF-8).',
  );

/**
 * body-parser's errors, said in the API's words before they reach anything else: its parse error quotes the
 * body (which may hold a card number), so no message of its own goes out.
 */
const bodyError = (error: unknown): ApiError => {
  const { type, limit } = error as { type?: unknown; limit?: unknown };
  switch (type) {
    case 'entity.too.large':
      return new ApiError(
        HttpStatus.PAYLOAD_TOO_LARGE,
        'PAYLOAD_TOO_LARGE',
        `The request body is larger than the limit of ${String(limit)} bytes.`,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return unsupportedMediaType();
    case 'entity.parse.failed':
      return new RequestValidationError([{ field: 'body', message: 'body must be valid JSON' }]);
    default:
      return new RequestValidationError([{ field: 'body', message: 'body could not be read' }]);
  }
};

/**
 * Reads JSON request bodies up to BODY_LIMIT (keeping the raw bytes on `req.rawBody`, for signature checks
 * such as the payment webhook's) and refuses any other kind of body with 415.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse: RequestHandler;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.parse = json({
      limit: config.bodyLimitBytes,
      type: JSON_TYPES,
      verify: (req, _res, buffer) => {
        (req as Request & { rawBody?: Buffer }).rawBody = buffer;
      },
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    if (!hasBody(req)) return next();
    if (!req.is(JSON_TYPES)) return next(unsupportedMediaType());
    void this.parse(req, res, (error?: unknown) => {
      if (error !== undefined && error !== null) return next(bodyError(error));
      const problem = bodyShapeProblem(req.body);
      next(problem === undefined ? undefined : new RequestValidationError([problem]));
    });
  }
}

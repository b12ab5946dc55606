import { HttpStatus, Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { AppConfig } from '@app/config';
import { APP_CONFIG } from '@app/platform';
import { ApiError, RequestValidationError } from '../errors/api-error';

const JSON_TYPES = ['application/json', 'application/*+json'];

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
      next(error === undefined || error === null ? undefined : bodyError(error));
    });
  }
}

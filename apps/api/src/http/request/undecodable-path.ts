import type { NextFunction, Request, Response } from 'express';

const decodes = (segment: string): boolean => {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
};

/**
 * Takes a path segment that does not percent-decode (`%zz`, `%E0%A4%A`) literally, by escaping its `%`.
 * Express decodes the parameters of every layer it matches, the request logger's and the body reader's
 * included (they are mounted on `{*path}`), and skipped them all for such a path: the 400 went out without a
 * request id, a correlation id or a log line. Literal, the segment reaches the route as the text it is, and
 * `ParseIdPipe` refuses it like any other malformed id. Mounted on the app before any other middleware.
 */
export const keepUndecodablePathSegmentsLiteral = (
  req: Request,
  _res: Response,
  next: NextFunction,
): void => {
  const queryAt = req.url.indexOf('?');
  const path = queryAt === -1 ? req.url : req.url.slice(0, queryAt);
  if (path.includes('%')) {
    const literal = path
      .split('/')
      .map((segment) => (decodes(segment) ? segment : segment.replaceAll('%', '%25')))
      .join('/');
    if (literal !== path) req.url = literal + (queryAt === -1 ? '' : req.url.slice(queryAt));
  }
  next();
};

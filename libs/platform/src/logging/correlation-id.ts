import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The header a client (or an upstream service) names its correlation id in; the response echoes it. */
export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/** What a correlation id from outside may look like: short, and nothing that could forge a log line. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

const assigned = new WeakMap<IncomingMessage, string>();

/**
 * The request's correlation id: the client's `X-Correlation-Id` when it is well-formed, otherwise a new UUID
 * (a malformed one is replaced rather than refused: it only ties log lines together). Decided once per
 * request, whoever asks first — the request logger or a handler — and echoed in the response header.
 */
export const correlationIdFor = (req: IncomingMessage, res: ServerResponse): string => {
  const known = assigned.get(req);
  if (known !== undefined) return known;
  const given = req.headers[CORRELATION_ID_HEADER.toLowerCase()];
  const id = typeof given === 'string' && CORRELATION_ID_PATTERN.test(given) ? given : randomUUID();
  assigned.set(req, id);
  if (!res.headersSent) res.setHeader(CORRELATION_ID_HEADER, id);
  return id;
};

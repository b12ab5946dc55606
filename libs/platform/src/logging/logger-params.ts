import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '@app/config';
import { correlationIdFor } from './correlation-id';

/** The response header that names the request id, the one a support person asks for. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

export type LoggerOptions = Readonly<{
  /** Human-readable lines (pino-pretty) instead of JSON lines; the default is "when stdout is a terminal". */
  pretty?: boolean;
  /** Where JSON lines go instead of stdout (tests read them). */
  destination?: DestinationStream;
}>;

const PROBES = new Set(['/health', '/ready']);
const pathOf = (req: IncomingMessage): string => (req.url ?? '').split('?', 1)[0] ?? '';

/**
 * The request headers a line keeps: enough to tell who called and how (the credentials among them only as
 * `[redacted]`, to show one was sent). The rest — and the response's dozen security headers — made every line
 * over a kilobyte, serialized on every request.
 */
const LOGGED_REQUEST_HEADERS = [
  'host',
  'user-agent',
  'content-type',
  'content-length',
  'x-forwarded-for',
  'x-correlation-id',
  'idempotency-key',
  'x-min-position',
  'authorization',
  'cookie',
  'x-signature',
] as const;

/** The request as pino-std-serializers gives it, of which a line keeps a part. */
type SerializedRequest = Readonly<{
  id: unknown;
  method: string;
  url: string;
  headers: Readonly<Record<string, unknown>>;
  remoteAddress?: string;
}>;

const loggedRequest = (req: SerializedRequest) => {
  const headers: Record<string, unknown> = {};
  for (const name of LOGGED_REQUEST_HEADERS) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  return { id: req.id, method: req.method, url: req.url, remoteAddress: req.remoteAddress, headers };
};

const loggedResponse = (
  res: Readonly<{ statusCode: number; headers: Readonly<Record<string, unknown>> }>,
) => ({
  statusCode: res.statusCode,
  ...(res.headers['content-length'] === undefined ? {} : { contentLength: res.headers['content-length'] }),
});

/**
 * Logs through pino: JSON lines, or pretty lines on a terminal. Every request gets an id (`X-Request-Id`) and a
 * correlation id (`X-Correlation-Id`), both on its log lines. Credentials never reach a log line:
 * authorization headers, cookies and webhook signatures are redacted, and no body is logged — request bodies
 * may carry payment data, and a body-parser error keeps the raw body on itself.
 */
export const loggerParams = (config: AppConfig, options: LoggerOptions = {}): Params => {
  const pretty = options.destination === undefined && (options.pretty ?? process.stdout.isTTY === true);
  const pinoHttp: Options = {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-signature"]',
        'res.headers["set-cookie"]',
        'req.body',
        'res.body',
        'err.body',
      ],
      censor: '[redacted]',
    },
    serializers: { req: loggedRequest, res: loggedResponse },
    genReqId: (_req, res) => {
      const id = randomUUID();
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customProps: (req, res) => ({ correlationId: correlationIdFor(req, res) }),
    // Successful health and readiness probes would drown everything else; failing ones are worth a line.
    customLogLevel: (req, res, error) => {
      if (error !== undefined || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return PROBES.has(pathOf(req)) ? 'silent' : 'info';
    },
    customSuccessMessage: (req, res, ms) => `${req.method} ${pathOf(req)} ${res.statusCode} in ${ms} ms`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode} failed`,
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: {
              translateTime: 'SYS:HH:MM:ss.l',
              messageFormat: '{if context}{context}: {end}{msg}',
              ignore: 'pid,hostname,context,req,res,responseTime',
              singleLine: true,
            },
          },
        }
      : {}),
  };
  return { pinoHttp: options.destination ? [pinoHttp, options.destination] : pinoHttp };
};

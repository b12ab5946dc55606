import type { Params } from 'nestjs-pino';
import type { AppConfig } from '@app/config';

/**
 * Structured JSON logs. Credentials never reach a log line: authorization headers, cookies and webhook
 * signatures are redacted, and request bodies (which may carry payment tokens) are not logged at all.
 */
export const loggerParams = (config: AppConfig): Params => ({
  pinoHttp: {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-signature"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    autoLogging: { ignore: (req) => req.url === '/health' },
  },
});

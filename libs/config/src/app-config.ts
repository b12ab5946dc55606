import { resolve } from 'node:path';

/** Which event store adapter the product runs on. */
export type EventStoreKind = 'postgres' | 'eventstoredb';

/** Where the Postgres database (event store and read models) lives. */
export type DatabaseConfig =
  | Readonly<{ kind: 'embedded'; dataDir: string }>
  | Readonly<{ kind: 'server'; url: string; schema: string; poolSize: number }>;

/** The typed, frozen configuration of every app, read once from the environment at start-up. */
export type AppConfig = Readonly<{
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  dataDir: string;
  database: DatabaseConfig;
  eventStore: Readonly<
    { kind: 'postgres'; pollIntervalMs: number } | { kind: 'eventstoredb'; connectionString: string }
  >;
  demoSeed: boolean;
  jwtSecret: string | undefined;
  paymentWebhookSecret: string | undefined;
  runWorker: boolean;
  /** Whether the worker runs the reactors and the billing clock beside the projections (RUN_AUTOMATION). */
  runAutomation: boolean;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins: readonly string[];
  /** Requests per minute per caller (token subject, or IP when anonymous); undefined means no limit. */
  rateLimitPerMinute: number | undefined;
  /** Largest JSON request body accepted, in bytes; a larger one is answered 413. */
  bodyLimitBytes: number;
  notifications: NotificationsConfig;
  /** Where a worker process serves GET /metrics (the API serves it on its own port); undefined: nowhere. */
  metricsPort: number | undefined;
  /**
   * The billing clock: how often the worker runs it (BILLING_CLOCK_INTERVAL, default hourly) and how many days
   * before a period starts its invoice is issued (BILLING_INVOICE_LEAD_DAYS, default 10).
   */
  billingClock: Readonly<{ intervalMs: number; invoiceLeadDays: number }>;
}>;

/** How the worker delivers the notifications of the outbox. */
export type NotificationsConfig = Readonly<{
  /** `smtp://` or `smtps://` URL of the relay (credentials in it); undefined: messages are written to the log. */
  smtpUrl: string | undefined;
  /** The From of every message; its domain also names the Message-IDs. */
  from: string;
  /** Attempts before a message is given up on (status `failed`, the dead letters). */
  maxAttempts: number;
  /** Wait before the first retry; doubled at each further one, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often the sender looks for messages due. */
  pollIntervalMs: number;
  /** How long a claimed message is a sender's alone; longer than a delivery may take (SMTP timeouts included). */
  leaseMs: number;
  /** A message whose cause is older than this when first due is not sent (`failed`); undefined: no limit. */
  maxAgeMs: number | undefined;
}>;

/** A configuration variable holds a value the product can't run with. The message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Configuration error in ${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const present = (env: Environment, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

const integer = (env: Environment, name: string, fallback: number, min: number, max: number): number => {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${value}`);
  return value;
};

const boolean = (env: Environment, name: string, fallback: boolean): boolean => {
  const raw = present(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
};

const oneOf = <T extends string>(env: Environment, name: string, allowed: readonly T[], fallback: T): T => {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
};

const databaseUrl = (env: Environment): string | undefined => {
  const url = present(env, 'DATABASE_URL');
  if (url === undefined) return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('DATABASE_URL', 'expected a postgres:// URL');
  return url;
};

const secret = (env: Environment, name: string): string | undefined => {
  const value = present(env, name);
  if (value !== undefined && value.length < 16)
    throw new ConfigError(name, 'must be at least 16 characters long');
  return value;
};

const optionalInteger = (env: Environment, name: string, min: number, max: number): number | undefined =>
  present(env, name) === undefined ? undefined : integer(env, name, min, min, max);

const origins = (env: Environment, name: string): readonly string[] => {
  const raw = present(env, name);
  if (raw === undefined) return Object.freeze([]);
  const list = raw
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, ''))
    .filter((origin) => origin !== '');
  for (const origin of list) {
    if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin)) {
      throw new ConfigError(name, `expected origins like https://portal.example.com, got "${origin}"`);
    }
  }
  return Object.freeze(list);
};

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, kb: 1024, mb: 1024 * 1024 };

const byteSize = (env: Environment, name: string, fallback: number, max: number): number => {
  const raw = present(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  const match = /^(\d+)\s*(b|kb|mb)?$/.exec(raw);
  if (!match) throw new ConfigError(name, `expected a size such as 65536, 64kb or 1mb, got "${raw}"`);
  const bytes = Number(match[1]) * SIZE_UNITS[match[2] ?? '']!;
  if (bytes < 1 || bytes > max) {
    throw new ConfigError(name, `expected a size from 1 byte to ${max / (1024 * 1024)}mb, got "${raw}"`);
  }
  return bytes;
};

const smtpUrl = (env: Environment): string | undefined => {
  const url = present(env, 'SMTP_URL');
  if (url === undefined) return undefined;
  // The URL may hold a password: the message never repeats it.
  if (!/^smtps?:\/\/[^\s]+$/.test(url))
    throw new ConfigError('SMTP_URL', 'expected an smtp:// or smtps:// URL');
  return url;
};

const mailbox = (env: Environment, name: string, fallback: string): string => {
  const value = present(env, name) ?? fallback;
  if (!/^([^<>]*<)?[^\s<>@]+@[^\s<>@]+\.?[^\s<>@]*>?$/.test(value)) {
    throw new ConfigError(name, `expected an address such as "Área do Cliente <nao-responda@example.com>"`);
  }
  return value;
};

const notifications = (env: Environment): NotificationsConfig => {
  const retryBaseMs = integer(env, 'NOTIFICATION_RETRY_BASE_MS', 60_000, 1, 86_400_000);
  const maxAgeHours = integer(env, 'NOTIFICATION_MAX_AGE_HOURS', 168, 0, 87_600);
  return Object.freeze({
    smtpUrl: smtpUrl(env),
    from: mailbox(env, 'SMTP_FROM', 'Área do Cliente <nao-responda@area-do-cliente.local>'),
    maxAttempts: integer(env, 'NOTIFICATION_MAX_ATTEMPTS', 8, 1, 100),
    retryBaseMs,
    retryMaxMs: integer(
      env,
      'NOTIFICATION_RETRY_MAX_MS',
      Math.max(3_600_000, retryBaseMs),
      retryBaseMs,
      604_800_000,
    ),
    pollIntervalMs: integer(env, 'NOTIFICATION_POLL_MS', 1_000, 10, 600_000),
    leaseMs: integer(env, 'NOTIFICATION_LEASE_MS', 300_000, 1_000, 86_400_000),
    maxAgeMs: maxAgeHours === 0 ? undefined : maxAgeHours * 3_600_000,
  });
};

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

const duration = (env: Environment, name: string, fallbackMs: number): number => {
  const raw = present(env, name)?.toLowerCase();
  if (raw === undefined) return fallbackMs;
  const match = /^(\d+)\s*(ms|s|m|h)?$/.exec(raw);
  if (!match) throw new ConfigError(name, `expected a duration such as 3600000, 30m or 1h, got "${raw}"`);
  const ms = Number(match[1]) * DURATION_UNITS[match[2] ?? 'ms']!;
  if (ms < 1000 || ms > 7 * 24 * 3_600_000) {
    throw new ConfigError(name, `expected a duration from 1s to 168h, got "${raw}"`);
  }
  return ms;
};

/**
 * Reads and validates the configuration. Pure: it is given the environment, so tests pass their own.
 * Apps call {@link loadConfig} once; nothing else reads `process.env`.
 */
export const readConfig = (env: Environment): AppConfig => {
  const dataDir = resolve(present(env, 'DATA_DIR') ?? './data');
  const url = databaseUrl(env);
  const schema = present(env, 'DATABASE_SCHEMA') ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new ConfigError('DATABASE_SCHEMA', 'expected a lower-case SQL identifier');
  }
  const database: DatabaseConfig =
    url === undefined
      ? { kind: 'embedded', dataDir }
      : { kind: 'server', url, schema, poolSize: integer(env, 'DATABASE_POOL_SIZE', 20, 1, 500) };

  const eventStoreKind = oneOf<EventStoreKind>(env, 'EVENT_STORE', ['postgres', 'eventstoredb'], 'postgres');
  let eventStore: AppConfig['eventStore'];
  if (eventStoreKind === 'eventstoredb') {
    const connectionString = present(env, 'EVENTSTORE_CONNECTION_STRING');
    if (connectionString === undefined) {
      throw new ConfigError('EVENTSTORE_CONNECTION_STRING', 'is required when EVENT_STORE=eventstoredb');
    }
    if (!/^(esdb|kurrentdb|kdb)(\+discover)?:\/\//.test(connectionString)) {
      throw new ConfigError('EVENTSTORE_CONNECTION_STRING', 'expected an esdb:// connection string');
    }
    eventStore = { kind: 'eventstoredb', connectionString };
  } else {
    eventStore = { kind: 'postgres', pollIntervalMs: integer(env, 'EVENT_STORE_POLL_MS', 100, 5, 60_000) };
  }

  return Object.freeze({
    port: integer(env, 'PORT', 3000, 0, 65_535),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    dataDir,
    database: Object.freeze(database),
    eventStore: Object.freeze(eventStore),
    demoSeed: boolean(env, 'DEMO_SEED', database.kind === 'embedded'),
    jwtSecret: secret(env, 'JWT_SECRET'),
    paymentWebhookSecret: secret(env, 'PAYMENT_WEBHOOK_SECRET'),
    runWorker: boolean(env, 'RUN_WORKER', true),
    runAutomation: boolean(env, 'RUN_AUTOMATION', true),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    rateLimitPerMinute: optionalInteger(env, 'RATE_LIMIT_PER_MINUTE', 1, 1_000_000),
    bodyLimitBytes: byteSize(env, 'BODY_LIMIT', 64 * 1024, 10 * 1024 * 1024),
    notifications: notifications(env),
    billingClock: Object.freeze({
      intervalMs: duration(env, 'BILLING_CLOCK_INTERVAL', 3_600_000),
      invoiceLeadDays: integer(env, 'BILLING_INVOICE_LEAD_DAYS', 10, 0, 60),
    }),
    metricsPort:
      present(env, 'METRICS_PORT') === undefined ? undefined : integer(env, 'METRICS_PORT', 0, 0, 65_535),
  });
};

/** The one place that reads `process.env`. */
export const loadConfig = (): AppConfig => readConfig(process.env);

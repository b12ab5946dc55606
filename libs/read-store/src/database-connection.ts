import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { Client, Pool, TypeOverrides, types, type ClientConfig } from 'pg';
import type { DatabaseConfig } from '@app/config';
import { PGliteDialect, PGliteSession } from './pglite-dialect';

/**
 * int8 as a JS number: revisions, positions' parts and counts stay far below 2^53 (positions are read as text).
 * Given to each pool, not set on the driver for the whole process.
 */
const typeParsers = new TypeOverrides();
typeParsers.setTypeParser(types.builtins.INT8, (value: string) => Number(value));

/**
 * How long a server may take before a request gives up, so a cut network answers an error (HTTP 503) instead of
 * a hang: to open a connection, and for any one statement.
 */
export type ServerTimeouts = Readonly<{ connectMs: number; queryMs: number }>;
const DEFAULT_TIMEOUTS: ServerTimeouts = { connectMs: 5_000, queryMs: 30_000 };

/** Runs one SQL statement with positional parameters ($1, $2…) and returns its rows. */
export type SqlQuery = <Row = Record<string, unknown>>(
  text: string,
  values: readonly unknown[],
  /** Names a statement worth preparing once per connection (the pg pool does; PGlite has no use for it). */
  name?: string,
) => Promise<{ rows: Row[] }>;

/** An open Postgres database: the Kysely instance every store and projection uses, and how to close it. */
export type DatabaseConnection = Readonly<{
  db: Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- each store narrows it to its own tables
  kind: 'embedded' | 'server';
  /** Describes the database for logs and benchmark output, without credentials. */
  description: string;
  /**
   * One statement straight on the driver (pg pool, or PGlite in turn with Kysely's transactions), below Kysely:
   * for the event store's hot path and for benchmark baselines.
   */
  query: SqlQuery;
  /**
   * LISTEN on a channel: `onPayload` gets each notification's payload until the returned function is called.
   * On a server it holds a connection of its own (outside the pool), reconnecting after a failure.
   */
  listen?: (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;
  close: () => Promise<void>;
}>;

const RELISTEN_MS = 1_000;

/**
 * A dedicated connection that LISTENs on `channel`, opened again after it fails; notifications sent while it is
 * down are lost, which is why its users keep a slow poll as well.
 */
const listenOnServer = async (
  config: ClientConfig,
  channel: string,
  onPayload: (payload: string) => void,
): Promise<() => Promise<void>> => {
  let stopped = false;
  let client: Client | undefined;
  const connect = async (): Promise<void> => {
    const next = new Client(config);
    next.on('notification', (message) => {
      if (message.channel === channel) onPayload(message.payload ?? '');
    });
    next.on('error', () => reconnect(next));
    next.on('end', () => reconnect(next));
    client = next;
    await next.connect();
    await next.query(`listen "${channel.replaceAll('"', '""')}"`);
  };
  const reconnect = (failed: Client): void => {
    if (stopped || client !== failed) return;
    client = undefined;
    void failed.end().catch(() => undefined);
    setTimeout(() => {
      if (!stopped) connect().catch(() => reconnect(client!));
    }, RELISTEN_MS).unref();
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => undefined);
  };
};

const withoutCredentials = (url: string): string => {
  const parsed = new URL(url);
  parsed.password = '';
  parsed.username = parsed.username ? `${parsed.username}` : '';
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
};

/**
 * Opens the configured database: a pg pool on a Postgres server (its schema selected through `search_path`,
 * created if missing) or PGlite persisted in `<dataDir>/pglite`. `memory` opens an in-memory PGlite for tests.
 */
export const openDatabase = async (
  config: DatabaseConfig | { kind: 'memory' },
  timeouts: ServerTimeouts = DEFAULT_TIMEOUTS,
): Promise<DatabaseConnection> => {
  if (config.kind === 'server') {
    const pool = new Pool({
      connectionString: config.url,
      max: config.poolSize,
      options: `-c search_path=${config.schema}`,
      types: typeParsers,
      connectionTimeoutMillis: timeouts.connectMs,
      query_timeout: timeouts.queryMs,
      keepAlive: true,
    });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it on the next checkout.
    });
    pool.on('connect', (client) => {
      // A checked-out client that loses its connection between queries emits 'error', which would crash the
      // process without a listener; its next query fails instead, and the pool drops it on release.
      client.on('error', () => undefined);
    });
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    await pool.query(`create schema if not exists ${config.schema}`);
    const listenConfig: ClientConfig = {
      connectionString: config.url,
      connectionTimeoutMillis: timeouts.connectMs,
      keepAlive: true,
    };
    return {
      db,
      kind: 'server',
      listen: (channel, onPayload) => listenOnServer(listenConfig, channel, onPayload),
      query: async <Row>(text: string, values: readonly unknown[], name?: string) => ({
        rows: (await pool.query({ text, values: [...values], ...(name ? { name } : {}) })).rows as Row[],
      }),
      description: `Postgres server ${withoutCredentials(config.url)} (schema ${config.schema})`,
      close: () => db.destroy(),
    };
  }
  let pglite: PGlite;
  let description: string;
  if (config.kind === 'embedded') {
    const dataDir = join(config.dataDir, 'pglite');
    mkdirSync(dataDir, { recursive: true });
    pglite = await PGlite.create(dataDir);
    description = `embedded PGlite in ${dataDir}`;
  } else {
    pglite = await PGlite.create();
    description = 'in-memory PGlite';
  }
  const session = new PGliteSession(pglite);
  const db = new Kysely<unknown>({ dialect: new PGliteDialect(session) });
  return {
    db,
    kind: 'embedded',
    description,
    query: (text, values) => session.query(text, values),
    // In turn with the session's other users, so the LISTEN never lands inside somebody's transaction.
    listen: async (channel, onPayload) => {
      const release = await session.acquire();
      try {
        const unlisten = await pglite.listen(channel, onPayload);
        return async () => {
          if (pglite.closed) return;
          const again = await session.acquire();
          try {
            await unlisten();
          } finally {
            again();
          }
        };
      } finally {
        release();
      }
    },
    close: () => db.destroy(),
  };
};

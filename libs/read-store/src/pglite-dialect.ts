import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * PGlite is one database session. Its users take turns: a Kysely transaction holds the session from BEGIN to
 * COMMIT, and a statement run outside Kysely ({@link PGliteSession.query}) waits for its turn too, so it never
 * lands inside somebody else's open transaction.
 */
export class PGliteSession {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly pglite: PGlite) {}

  /** Waits for the session; the returned function gives it back. */
  async acquire(): Promise<() => void> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  }

  /** One statement, in turn with every other user of the session. */
  async query<Row>(text: string, values: readonly unknown[]): Promise<{ rows: Row[] }> {
    const release = await this.acquire();
    try {
      return await this.pglite.query<Row>(text, [...values]);
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    const release = await this.acquire();
    try {
      if (!this.pglite.closed) await this.pglite.close();
    } finally {
      release();
    }
  }
}

/** Kysely on PGlite (Postgres compiled to WebAssembly, in process). */
export class PGliteDialect implements Dialect {
  constructor(private readonly session: PGliteSession) {}

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PGliteDriver(this.session);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}

class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;
  private releaseCurrent: (() => void) | undefined;

  constructor(private readonly session: PGliteSession) {
    this.connection = new PGliteConnection(session.pglite);
  }

  async init(): Promise<void> {
    await this.session.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    this.releaseCurrent = await this.session.acquire();
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    const access = settings.accessMode ? ` ${settings.accessMode}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}${access}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.releaseCurrent;
    this.releaseCurrent = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    await this.session.close();
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    return {
      rows: result.rows,
      ...(result.affectedRows === undefined ? {} : { numAffectedRows: BigInt(result.affectedRows) }),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not stream query results');
  }
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { headReaching, type EventStore, type Position } from '@app/event-store';
import { ProjectionRunner, type CheckpointDatabase } from '@app/projection-runner';
import { READ_MODEL_PROJECTIONS, type ReadModelDatabase } from '@app/projections';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { NOT_READ_MODEL_TABLES } from '@app/testing';

const ROOT = resolve(__dirname, '../../../..');

/** The product built as `npm run build` builds it, into a folder of the caller's: the worker runs from there. */
export type BuiltProduct = Readonly<{ workerEntry: string; remove: () => void }>;

export const buildProduct = (): BuiltProduct => {
  const outDir = mkdtempSync(join(tmpdir(), 'projtests-build-'));
  const swc = join(ROOT, 'node_modules/.bin/swc');
  const built = spawnSync(
    swc,
    [
      'apps',
      'libs',
      'projections',
      '--config-file',
      '.swcrc',
      '--out-dir',
      outDir,
      '--ignore',
      '**/*.spec.ts',
      '--quiet',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`swc failed: ${built.stderr}`);
  return {
    workerEntry: join(outDir, 'apps/worker/src/main.js'),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
};

/** A worker process as `npm run start:worker` runs it, on one schema of the Postgres server. */
export type WorkerProcess = Readonly<{
  child: ChildProcess;
  /** Resolves once the worker logged that its projections started. */
  started: Promise<void>;
  exited: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => Promise<void>;
}>;

export const startWorkerProcess = (
  entry: string,
  env: Readonly<{ databaseUrl: string; schema: string; name: string }>,
): WorkerProcess => {
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      // The build lies outside the repository: its requires find the repository's packages through this.
      NODE_PATH: join(ROOT, 'node_modules'),
      DATABASE_URL: env.databaseUrl,
      DATABASE_SCHEMA: env.schema,
      DATABASE_POOL_SIZE: '6',
      JWT_SECRET: 'worker-process-test-secret',
      LOG_LEVEL: 'info',
      // The projections alone: reactors would append to the log the tests compare read models against.
      RUN_AUTOMATION: 'false',
      // Names the worker's connections, so a test sees which one holds which lock.
      PGAPPNAME: env.name,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const started = new Promise<void>((done, fail) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8_000);
      if (output.includes('Worker started')) done();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => fail(new Error(`worker ${env.name} exited with ${code}: ${output}`)));
  });
  started.catch(() => undefined);
  return {
    child,
    started,
    exited,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
};

/** Whether every read model's checkpoint has reached `head`. */
export const caughtUp = async (db: Kysely<CheckpointDatabase>, head: Position): Promise<boolean> => {
  const rows = await db
    .selectFrom('projection_checkpoints')
    .select(['name', 'version', 'position'])
    .execute();
  return READ_MODEL_PROJECTIONS.every((projection) =>
    rows.some(
      (row) =>
        row.name === projection.name &&
        row.version === projection.version &&
        row.position !== null &&
        row.position >= head,
    ),
  );
};

/** Polls until every read model reached `head`; false when `timeoutMs` passed first. */
export const waitUntilCaughtUp = async (
  db: Kysely<CheckpointDatabase>,
  head: Position,
  timeoutMs: number,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await caughtUp(db, head)) return true;
    await new Promise((done) => setTimeout(done, 200));
  }
  return false;
};

/**
 * Columns that are no projection's output: the outbox's delivery state, which the worker's sender moves on (and a
 * rebuild in this process does not), and its insertion counter.
 */
const NOT_PROJECTED: Readonly<Record<string, readonly string[]>> = {
  notification_outbox: [
    'seq',
    'status',
    'channel',
    'attempts',
    'next_attempt_at',
    'lease_until',
    'lease_owner',
    'last_error',
    'sent_at',
    'updated_at',
  ],
};

/** Where each versioned read model's tables are served from: its active version's schema. */
const activeSchemaOfTables = async (db: Kysely<unknown>): Promise<ReadonlyMap<string, string>> => {
  const { rows } = await sql<{ name: string; schema_name: string }>`
    select name, schema_name from read_model_versions where state = 'active'`.execute(db);
  const schemas = new Map<string, string>();
  for (const projection of READ_MODEL_PROJECTIONS) {
    const active = rows.find((row) => row.name === projection.name);
    if (active === undefined) continue;
    for (const table of projection.tables ?? []) schemas.set(table, active.schema_name);
  }
  return schemas;
};

/**
 * Every read-model table of the database's schema, each as its rows in a stable order (JSON text), read where
 * queries read it: from the active version's schema for a versioned read model.
 */
export const readModelTables = async (db: Kysely<unknown>): Promise<Record<string, string[]>> => {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const served = await activeSchemaOfTables(db);
  const result: Record<string, string[]> = {};
  for (const { name } of tables) {
    // The checkpoints' times, among others, differ between runs.
    if (NOT_READ_MODEL_TABLES.includes(name)) continue;
    const dropped = NOT_PROJECTED[name] ?? [];
    const schema = served.get(name);
    const table = schema === undefined ? sql.table(name) : sql.table(`${schema}.${name}`);
    const { rows } = await sql<{ row: string }>`
      select (to_jsonb(t) - ${sql.val(dropped)}::text[])::text as row from ${table} as t order by 1`.execute(
      db,
    );
    result[name] = rows.map((row) => row.row);
  }
  return result;
};

/** The schema a connection's queries land in. */
export const currentSchema = async (db: Kysely<unknown>): Promise<string> =>
  (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!.schema;

/**
 * What a clean rebuild makes of the log: every read model built by the runner in this process, from the start,
 * into a fresh database of the test's own, then its tables.
 */
export const cleanRebuild = async (
  store: EventStore,
  fresh: DatabaseConnection,
  head: Position,
): Promise<Record<string, string[]>> => {
  await migrateToLatest(fresh.db);
  const runner = new ProjectionRunner<ReadModelDatabase>({
    db: fresh.db as Kysely<ReadModelDatabase>,
    store,
    projections: READ_MODEL_PROJECTIONS,
  });
  runner.start();
  try {
    if (!(await runner.caughtUpTo(head, 30 * 60_000))) throw new Error('the clean rebuild did not catch up');
  } finally {
    await runner.stop();
  }
  return readModelTables(fresh.db as Kysely<unknown>);
};

/**
 * Asserts that the read models of `db` are, row for row, what a clean rebuild of the log up to `head` makes in
 * `fresh`; the main read models must not be empty there, so an empty comparison cannot pass.
 */
export const expectSameAsCleanRebuild = async (
  store: EventStore,
  db: Kysely<unknown>,
  fresh: DatabaseConnection,
  head: Position,
): Promise<void> => {
  const rebuilt = await cleanRebuild(store, fresh, head);
  const built = await readModelTables(db);
  expect(Object.keys(built)).toEqual(Object.keys(rebuilt));
  for (const table of ['services', 'invoices', 'tickets', 'contract_summaries', 'notification_outbox']) {
    expect(rebuilt[table]?.length ?? 0).toBeGreaterThan(0);
  }
  for (const table of Object.keys(rebuilt)) {
    expect({ table, rows: built[table]!.length }).toEqual({ table, rows: rebuilt[table]!.length });
    expect(built[table]).toEqual(rebuilt[table]);
  }
};

/** The position of the log's last event once readers reach it (an older transaction in flight holds them back). */
export const settledHead = async (store: EventStore): Promise<Position> => {
  const head = await headReaching(store, undefined, { pollMs: 50 });
  if (head === undefined) throw new Error('the log is empty');
  return head;
};

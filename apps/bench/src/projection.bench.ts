import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { AggregateCache, handleCommand, type WritePath } from '@app/command-handling';
import type { AppConfig } from '@app/config';
import { contractDecider, contractStream, type ContractCommand } from '@app/domain';
import { PostgresEventStore, type EventStore, type Position } from '@app/event-store';
import { ProjectionRunner } from '@app/projection-runner';
import { READ_MODEL_PROJECTIONS, type ReadModelDatabase } from '@app/projections';
import { migrateToLatest, openDatabase, type DatabaseConnection } from '@app/read-store';
import { dropSchemaWithVersions, generateEventLog } from '@app/testing';
import type { BenchOptions, BenchResult } from './bench-harness';
import type { RebuildChildResult, RebuiltProjection } from './rebuild-child';

const CHILD_ENTRY = resolve(__dirname, 'rebuild-child.js');
/** As `npm run start:worker` starts the worker (see package.json): the rebuild is measured as it runs there. */
const WORKER_NODE_FLAGS = ['--min-semi-space-size=16'];
const PAGE = 500;

/**
 * events/s of reading the whole log through readAll, in pages of 500 (the runner's until it read pages of 5,000
 * shared by every projection; kept so the baseline compares with earlier runs): the rebuild's baseline.
 */
const readWholeLog = async (store: EventStore, events: number): Promise<number> => {
  const started = performance.now();
  let after: Position | undefined;
  let read = 0;
  for (;;) {
    const page = await store.readAll({ maxCount: PAGE, ...(after === undefined ? {} : { after }) });
    read += page.length;
    after = page.at(-1)?.position ?? after;
    // A short page before the end: a transaction elsewhere on the server holds the readable log back.
    if (read >= events) break;
    if (page.length < PAGE) await new Promise((done) => setTimeout(done, 10));
  }
  if (read !== events) throw new Error(`read ${read} events of ${events}`);
  return read / ((performance.now() - started) / 1000);
};

type Rebuilt = Readonly<{ seconds: number; peakRssBytes: number }>;

/**
 * Rebuilds the read models from the log in `logSchema` in a child process (see rebuild-child.ts): every one, or
 * only those named in `only`.
 */
const rebuildInChild = async (
  config: AppConfig,
  logSchema: string,
  db: Kysely<unknown>,
  only?: readonly string[],
  skipApply = false,
): Promise<RebuildChildResult> => {
  if (config.database.kind !== 'server') throw new Error('the rebuild child needs a Postgres server');
  const readSchema = `bench_read_${randomBytes(5).toString('hex')}`;
  try {
    const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, CHILD_ENTRY], {
      env: {
        ...process.env,
        BENCH_LOG_SCHEMA: logSchema,
        BENCH_READ_SCHEMA: readSchema,
        ...(only ? { BENCH_PROJECTIONS: only.join(',') } : {}),
        ...(skipApply ? { BENCH_SKIP_APPLY: '1' } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4_000)));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    if (code !== 0) throw new Error(`the rebuild child exited with ${code}: ${stderr}`);
    const result = JSON.parse(stdout.trim()) as RebuildChildResult;
    if (!result.done) throw new Error('the rebuild did not catch up');
    return result;
  } finally {
    await dropSchemaWithVersions(db, readSchema);
  }
};

/** Each read model rebuilt alone from the same log, then where its time went in the rebuild of all of them. */
type ProjectionBreakdown = Readonly<{ alone: RebuildChildResult; together: RebuiltProjection }>;

const rebuildEachAlone = async (
  config: AppConfig,
  logSchema: string,
  db: Kysely<unknown>,
  together: RebuildChildResult,
): Promise<ProjectionBreakdown[]> => {
  const breakdown: ProjectionBreakdown[] = [];
  for (const projection of together.projections)
    breakdown.push({
      alone: await rebuildInChild(config, logSchema, db, [projection.name]),
      together: projection,
    });
  return breakdown;
};

/** Rebuilds from the log in this process (PGlite: one process holds the database). */
const rebuildInProcess = async (database: DatabaseConnection, store: EventStore): Promise<Rebuilt> => {
  const runner = new ProjectionRunner<ReadModelDatabase>({
    db: database.db as Kysely<ReadModelDatabase>,
    store,
    projections: READ_MODEL_PROJECTIONS,
  });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const head = await store.headPosition();
  const started = performance.now();
  runner.start();
  if (head !== undefined && !(await runner.caughtUpTo(head, 6 * 60 * 60_000))) throw new Error('no catch-up');
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  clearInterval(sampler);
  return { seconds, peakRssBytes: peak };
};

/** A log of `events` generated events in a schema of its own on the server (or the bench's PGlite). */
const withLog = async <T>(
  config: AppConfig,
  database: DatabaseConnection,
  events: number,
  measure: (store: EventStore, logSchema: string | undefined, written: number) => Promise<T>,
): Promise<T> => {
  const schema = `bench_log_${randomBytes(5).toString('hex')}`;
  const log =
    config.database.kind === 'server'
      ? await openDatabase({ ...config.database, schema, poolSize: 16 })
      : database;
  try {
    await migrateToLatest(log.db);
    const store = PostgresEventStore.open(log.db, { directQuery: log.query });
    const generated = await generateEventLog(store, { seed: 2026, events, batchEvents: 20_000 });
    await sql`analyze es_events`.execute(log.db);
    return await measure(store, config.database.kind === 'server' ? schema : undefined, generated.events);
  } finally {
    if (log !== database) {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(log.db);
      await log.close();
    }
  }
};

const MB = 1024 * 1024;

/**
 * `projection.rebuild`: events/s rebuilding every read model from a generated log (200,000 events; 20,000 with
 * --quick), against reading the same log through readAll; `memory.rebuild.rss`: the rebuild's peak RSS, and with
 * --full the same at 1,000,000 events against the 200,000 run (flat: ratio ≤ 1.2).
 */
export const projectionRebuildBenchmarks = async (
  config: AppConfig,
  database: DatabaseConnection,
  options: BenchOptions & Readonly<{ full?: boolean }>,
): Promise<BenchResult[]> => {
  const sizes = options.quick ? [20_000] : options.full ? [200_000, 1_000_000] : [200_000];
  const runs: {
    events: number;
    readRate: number;
    rebuilt: Rebuilt;
    breakdown: readonly ProjectionBreakdown[];
    runnerOnly?: Rebuilt;
  }[] = [];
  for (const [index, size] of sizes.entries()) {
    runs.push(
      await withLog(config, database, size, async (store, logSchema, events) => {
        const readRate = await readWholeLog(store, events);
        if (logSchema === undefined)
          return { events, readRate, rebuilt: await rebuildInProcess(database, store), breakdown: [] };
        const db = database.db as Kysely<unknown>;
        const rebuilt = await rebuildInChild(config, logSchema, db);
        // Once, on the first log: the split is the same at every size, and alone at 1,000,000 would take long.
        if (index > 0) return { events, readRate, rebuilt, breakdown: [] };
        const breakdown = await rebuildEachAlone(config, logSchema, db, rebuilt);
        const runnerOnly = await rebuildInChild(config, logSchema, db, undefined, true);
        return { events, readRate, rebuilt, breakdown, runnerOnly };
      }),
    );
  }
  const where = config.database.kind === 'server' ? 'child process' : 'in process (PGlite)';
  const results: BenchResult[] = [];
  for (const { events, readRate, rebuilt } of runs) {
    const rate = events / rebuilt.seconds;
    results.push({
      name: runs.length > 1 ? `projection.rebuild@${events}` : 'projection.rebuild',
      unit: 'events/s',
      value: rate,
      baseline: readRate,
      ratio: rate / readRate,
      note: `${READ_MODEL_PROJECTIONS.length} read models from a ${events.toLocaleString('en')}-event generated log (${where}); baseline readAll of the same log in pages of ${PAGE}; target value >= 20,000 events/s on a server`,
    });
  }
  const { events: logEvents, readRate: firstReadRate, rebuilt: together, breakdown, runnerOnly } = runs[0]!;
  if (runnerOnly) {
    const rate = logEvents / runnerOnly.seconds;
    results.push({
      name: 'projection.rebuild.runner',
      unit: 'events/s',
      value: rate,
      baseline: firstReadRate,
      ratio: rate / firstReadRate,
      note: `the same rebuild through an apply that writes nothing: the runner's own ceiling (reads of the log, transactions, checkpoints); baseline readAll of the log`,
    });
  }
  const togetherRate = logEvents / together.seconds;
  for (const { alone, together: shared } of breakdown) {
    const rate = logEvents / alone.seconds;
    const own = alone.projections[0]!;
    results.push({
      name: `projection.rebuild.${own.name}`,
      unit: 'events/s',
      value: rate,
      baseline: togetherRate,
      ratio: rate / togetherRate,
      note:
        `log events/s rebuilding ${own.name} alone: ${alone.seconds.toFixed(1)} s, ${own.applySeconds.toFixed(1)} s in apply, ` +
        `for the ${own.events.toLocaleString('en')} events it handles; in the rebuild of all ` +
        `(the baseline): ${shared.applySeconds.toFixed(1)} s in apply, caught up at ` +
        `${shared.caughtUpSeconds === null ? '?' : shared.caughtUpSeconds.toFixed(1)} s of ${together.seconds.toFixed(1)} s`,
    });
  }
  const [first, last] = [runs[0]!, runs.at(-1)!];
  results.push({
    name: 'memory.rebuild.rss',
    unit: 'MB',
    value: last.rebuilt.peakRssBytes / MB,
    ...(runs.length > 1
      ? {
          baseline: first.rebuilt.peakRssBytes / MB,
          ratio: last.rebuilt.peakRssBytes / first.rebuilt.peakRssBytes,
        }
      : {}),
    note:
      `peak RSS of the rebuild of ${last.events.toLocaleString('en')} events (${where})` +
      (runs.length > 1
        ? `; baseline the ${first.events.toLocaleString('en')}-event rebuild; target ratio <= 1.2`
        : '') +
      '; target value <= 300 MB',
  });
  return results;
};

const p99 = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? Number.NaN;
};

/**
 * `projection.lag.p99`: ms from a command's response to its row being visible in the read model (the
 * checkpoint that commits with the row reaching the command's position), with `AddContact` sent at 500
 * commands/s to 500 existing contracts while the runner follows the log in the same process, as the embedded
 * worker does.
 */
export const projectionLagBenchmarks = async (
  database: DatabaseConnection,
  options: BenchOptions,
): Promise<BenchResult[]> => {
  const rate = 500;
  const seconds = options.quick ? 5 : 15;
  await migrateToLatest(database.db);
  const store = PostgresEventStore.open(database.db, { directQuery: database.query });
  const writePath: WritePath = { eventStore: store, cache: new AggregateCache() };
  const owner = {
    kind: 'user',
    userId: 'bench-lag-owner',
    email: 'dono@lag.com.br',
    roles: ['customer'],
  } as const;
  const contracts = Array.from({ length: 500 }, (_, n) => `bench-lag-${randomBytes(4).toString('hex')}-${n}`);
  const send = (contractId: string, command: Omit<ContractCommand, 'metadata'>, commandId: string) =>
    handleCommand(writePath, contractDecider, contractStream(contractId), {
      command: { ...command, metadata: { now: new Date().toISOString(), actor: owner } } as ContractCommand,
      commandId,
    });
  for (const contractId of contracts) {
    await send(
      contractId,
      {
        type: 'OpenContract',
        data: {
          contractId,
          holderName: 'Lag Ltda',
          document: '11.222.333/0001-81',
          phones: ['+5511987654321'],
        },
      },
      `open-${contractId}`,
    );
  }
  const runner = new ProjectionRunner<ReadModelDatabase>({
    db: database.db as Kysely<ReadModelDatabase>,
    store,
    projections: READ_MODEL_PROJECTIONS,
  });
  runner.start();
  const contractUsers = READ_MODEL_PROJECTIONS.find((p) => p.name === 'contract-users')!;
  const checkpoints = database.db as Kysely<ReadModelDatabase>;
  try {
    if (!(await runner.caughtUpTo((await store.headPosition())!, 10 * 60_000)))
      throw new Error('no catch-up');
    const waiting: { position: Position; answeredAt: number }[] = [];
    const lags: number[] = [];
    let sending = true;
    const watcher = (async () => {
      while (sending || waiting.length > 0) {
        const row = await checkpoints
          .selectFrom('projection_checkpoints')
          .select('position')
          .where('name', '=', contractUsers.name)
          .where('version', '=', contractUsers.version)
          .executeTakeFirst();
        const now = performance.now();
        for (let i = waiting.length - 1; i >= 0; i--) {
          const entry = waiting[i]!;
          if (row?.position != null && row.position >= entry.position) {
            lags.push(now - entry.answeredAt);
            waiting.splice(i, 1);
          }
        }
        await new Promise((done) => setTimeout(done, 2));
      }
    })();
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let n = 0; n < rate * seconds; n++) {
      const due = started + (n * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      const contractId = contracts[n % contracts.length]!;
      inFlight.push(
        send(
          contractId,
          {
            type: 'AddContact',
            data: {
              contactId: `lag-${n}`,
              name: `Contato ${n}`,
              email: `lag-${n}@exemplo.com.br`,
              categories: ['billing'],
            },
          },
          `lag-${contractId}-${n}`,
        ).then((result) => {
          waiting.push({ position: result.position!, answeredAt: performance.now() });
        }),
      );
    }
    let reached: number;
    try {
      await Promise.all(inFlight);
      reached = (rate * seconds) / ((performance.now() - started) / 1000);
    } finally {
      sending = false;
    }
    await watcher;
    return [
      {
        name: 'projection.lag.p99',
        unit: 'ms',
        value: p99(lags),
        note: `AddContact at ${rate} commands/s for ${seconds} s (${Math.round(reached)} reached), runner in process; row visible = contract-users checkpoint at the command's position; target <= 200 ms`,
      },
    ];
  } finally {
    await runner.stop();
  }
};

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig } from '@app/config';
import { signAccessToken, type Caller } from '@app/platform';
import { migrateToLatest, openDatabase, type DatabaseConnection } from '@app/read-store';
import { dropSchemaWithVersions } from '@app/testing';

/** The built API, as `npm run start:api` runs it: measured as a separate process, the way it is deployed. */
const API_ENTRY = resolve(__dirname, '../../api/src/main.js');
/** As `npm start` and `npm run start:api` start the API (see package.json): it is measured as it runs there. */
const API_NODE_FLAGS = ['--min-semi-space-size=4'];

/** An API in a child process, with a token of the caller the benchmark calls it as. */
export type RunningApi = Readonly<{
  url: string;
  /** The API process, whose memory a benchmark may read. */
  pid: number;
  /** Authorization (the bench caller's) and JSON content type. */
  headers: Readonly<Record<string, string>>;
  stop: () => Promise<void>;
}>;

export type StartApiOptions = Readonly<{
  /** Writes what the benchmark needs into the API's database, migrated, before the API opens it. */
  prepare?: (database: DatabaseConnection) => Promise<void>;
}>;

const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((done) => (child.exitCode !== null ? done() : child.once('exit', () => done())));

/**
 * Starts the API in a child process on a database of its own (a schema on the server, or PGlite in a temporary
 * folder), with the product's defaults otherwise, and waits until `/ready` answers 200. A caller with no roles is
 * a customer.
 */
export const startApi = async (
  config: AppConfig,
  database: DatabaseConnection,
  caller: Readonly<{ userId: string; email: string; roles?: Caller['roles'] }>,
  options: StartApiOptions = {},
): Promise<RunningApi> => {
  const jwtSecret = randomBytes(24).toString('hex');
  const port = await freePort();
  const schema = `bench_http_${randomBytes(5).toString('hex')}`;
  const dataDir = config.database.kind === 'server' ? undefined : mkdtempSync(join(tmpdir(), 'bench-http-'));
  if (options.prepare) {
    const prepared = await openDatabase(
      config.database.kind === 'server'
        ? { kind: 'server', url: config.database.url, schema, poolSize: 4 }
        : { kind: 'embedded', dataDir: dataDir! },
    );
    try {
      await migrateToLatest(prepared.db);
      await options.prepare(prepared);
    } finally {
      await prepared.close();
    }
  }
  const child = spawn(process.execPath, [...API_NODE_FLAGS, API_ENTRY], {
    env: {
      ...process.env,
      PORT: String(port),
      JWT_SECRET: jwtSecret,
      DEMO_SEED: 'false',
      ...(dataDir === undefined ? { DATABASE_SCHEMA: schema } : { DATA_DIR: dataDir }),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4_000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill('SIGTERM');
    await exited(child);
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    else await dropSchemaWithVersions(database.db, schema);
  };
  const token = await signAccessToken(jwtSecret, {
    userId: caller.userId,
    email: caller.email,
    roles: caller.roles ?? ['customer'],
  });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}: ${stderr}`);
    const ready = await fetch(`${url}/ready`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return { url, pid: child.pid!, headers, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`the API did not get ready within 60 s: ${stderr}`);
};

/** Sends one command as the bench customer; throws unless it answers 201. Answers the new entity's id. */
export const created = async (api: RunningApi, path: string, body: unknown): Promise<string> => {
  const response = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: api.headers,
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}`);
  return ((await response.json()) as { id: string }).id;
};

/** `count` contracts of the bench customer, named after `holderPrefix`. */
export const openContracts = async (
  api: RunningApi,
  count: number,
  holderPrefix: string,
): Promise<string[]> => {
  const contractIds: string[] = [];
  for (let i = 0; i < count; i++) {
    contractIds.push(
      await created(api, '/contracts', {
        holderName: `${holderPrefix} ${i} Ltda`,
        document: '11.222.333/0001-81',
        phones: ['+5511987654321'],
      }),
    );
  }
  return contractIds;
};

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import type { AppConfig } from '@app/config';
import { signAccessToken } from '@app/platform';
import type { DatabaseConnection } from '@app/read-store';
import { compare, type BenchOptions, type BenchResult } from './bench-harness';

/** The built API, as `npm run start:api` runs it: measured as a separate process, the way it is deployed. */
const API_ENTRY = resolve(__dirname, '../../api/src/main.js');
const RATE = 300;
/**
 * autocannon paces by the second: each connection sends its share of the rate back to back as a second
 * starts. Eight connections keep that burst near the concurrency the rate needs, rather than a wall of requests.
 */
const CONNECTIONS = 8;
const CONTRACTS = 20;

type RunningApi = Readonly<{ url: string; stop: () => Promise<void> }>;

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
 * folder), with the product's defaults otherwise, and waits until `/ready` answers 200.
 */
export const startApi = async (
  config: AppConfig,
  database: DatabaseConnection,
  jwtSecret: string,
): Promise<RunningApi> => {
  const port = await freePort();
  const schema = `bench_http_${randomBytes(5).toString('hex')}`;
  const dataDir = config.database.kind === 'server' ? undefined : mkdtempSync(join(tmpdir(), 'bench-http-'));
  const child = spawn(process.execPath, [API_ENTRY], {
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
    else await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
  };
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}: ${stderr}`);
    const ready = await fetch(`${url}/ready`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return { url, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`the API did not get ready within 60 s: ${stderr}`);
};

type Load = Readonly<{ p99: number; requestsPerSecond: number }>;

/**
 * p99 latency in ms of `requests` sent at up to {@link RATE} per second for `seconds`, and the rate reached (a
 * server that cannot keep up falls short of it); throws on any error or unexpected status.
 */
const p99At300PerSecond = async (
  url: string,
  seconds: number,
  requests: autocannon.Request[],
  expectedStatus: number,
): Promise<Load> => {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    overallRate: RATE,
    duration: seconds,
    requests,
    timeout: 10,
    // With a rate, autocannon "corrects" for coordinated omission with an expected interval of 1 ms (it
    // divides 1 by the rate per second), which turns every 20 ms answer into twenty samples: raw latencies.
    ignoreCoordinatedOmission: true,
  });
  const answered = result.statusCodeStats?.[`${expectedStatus}`]?.count ?? 0;
  if (result.errors > 0 || answered !== result.requests.total) {
    throw new Error(
      `${requests[0]?.method ?? 'GET'} ${requests[0]?.path ?? '/'}: ${result.errors} errors, ` +
        `answers ${JSON.stringify(result.statusCodeStats)} (expected ${expectedStatus} only)`,
    );
  }
  return { p99: result.latency.p99, requestsPerSecond: result.requests.total / result.duration };
};

/**
 * `http.command.p99`: p99 latency of `POST /contracts/:id/contacts` on existing contracts at 300 requests/s,
 * against `GET /health` under the same load (the cost of HTTP, Nest and the machine alone), in alternating
 * rounds.
 */
export const httpCommandBenchmarks = async (
  config: AppConfig,
  database: DatabaseConnection,
  options: BenchOptions,
): Promise<BenchResult[]> => {
  const jwtSecret = randomBytes(24).toString('hex');
  const api = await startApi(config, database, jwtSecret);
  try {
    const token = await signAccessToken(jwtSecret, {
      userId: 'bench-http-owner',
      email: 'dona@exemplo.com.br',
      roles: ['customer'],
    });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const contractIds: string[] = [];
    for (let i = 0; i < CONTRACTS; i++) {
      const response = await fetch(`${api.url}/contracts`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          holderName: `Bench Hospedagem ${i} Ltda`,
          document: '11.222.333/0001-81',
          phones: ['+5511987654321'],
        }),
      });
      if (response.status !== 201) throw new Error(`POST /contracts answered ${response.status}`);
      contractIds.push(((await response.json()) as { id: string }).id);
    }
    let sent = 0;
    const addContact: autocannon.Request = {
      method: 'POST',
      path: '/contracts',
      headers,
      // A new contact each time (a contract refuses the same e-mail twice), spread over the contracts.
      setupRequest: (request) => {
        const n = sent++;
        return {
          ...request,
          path: `/contracts/${contractIds[n % CONTRACTS]}/contacts`,
          body: JSON.stringify({
            name: `Contato ${n}`,
            email: `contato-${n}@exemplo.com.br`,
            categories: ['billing'],
          }),
        };
      },
    };
    const health: autocannon.Request = { method: 'GET', path: '/health' };
    const seconds = options.quick ? 5 : 10;
    await p99At300PerSecond(api.url, 2, [addContact], 201); // warm-up: JIT, pool, aggregate cache
    const commandRates: number[] = [];
    const { value, baseline, ratio } = await compare(
      options.quick ? 1 : 2,
      async () => {
        const load = await p99At300PerSecond(api.url, seconds, [addContact], 201);
        commandRates.push(load.requestsPerSecond);
        return load.p99;
      },
      async () => (await p99At300PerSecond(api.url, seconds, [health], 200)).p99,
    );
    const reached = Math.round(Math.min(...commandRates));
    return [
      {
        name: 'http.command.p99',
        unit: 'ms',
        value,
        baseline,
        ratio,
        note:
          `POST /contracts/:id/contacts at ${RATE} requests/s for ${seconds} s (${reached} reached; autocannon, ` +
          `API in a child process); baseline GET /health at the same rate; target value <= 50 ms`,
      },
    ];
  } finally {
    await api.stop();
  }
};

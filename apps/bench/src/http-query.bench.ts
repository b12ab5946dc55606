import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import type { AppConfig } from '@app/config';
import { signAccessToken } from '@app/platform';
import type { DatabaseConnection } from '@app/read-store';
import { compare, type BenchOptions, type BenchResult } from './bench-harness';
import { startApi } from './http-command.bench';

const RATE = 1_000;
const CONNECTIONS = 16;
const CONTRACTS = 20;
const SERVICES_PER_CONTRACT = 5;

/** p99 ms of `requests` at up to {@link RATE} per second; throws on an error or another status than 200. */
const p99At = async (url: string, seconds: number, requests: autocannon.Request[]) => {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    overallRate: RATE,
    duration: seconds,
    requests,
    timeout: 10,
    ignoreCoordinatedOmission: true,
  });
  const answered = result.statusCodeStats?.['200']?.count ?? 0;
  if (result.errors > 0 || answered !== result.requests.total) {
    throw new Error(
      `${requests[0]?.path ?? '/'}: ${result.errors} errors, ${JSON.stringify(result.statusCodeStats)}`,
    );
  }
  return { p99: result.latency.p99, requestsPerSecond: result.requests.total / result.duration };
};

/**
 * `http.query.p99`: p99 latency of `GET /contracts/:id/services` (a page of a contract's services, read from the
 * services read model) at 1,000 requests/s, against `GET /health` under the same load, API in a child process.
 */
export const httpQueryBenchmarks = async (
  config: AppConfig,
  database: DatabaseConnection,
  options: BenchOptions,
): Promise<BenchResult[]> => {
  const jwtSecret = randomBytes(24).toString('hex');
  const api = await startApi(config, database, jwtSecret);
  try {
    const token = await signAccessToken(jwtSecret, {
      userId: 'bench-query-owner',
      email: 'dona@consulta.com.br',
      roles: ['customer'],
    });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const contractIds: string[] = [];
    for (let i = 0; i < CONTRACTS; i++) {
      const opened = await fetch(`${api.url}/contracts`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          holderName: `Consulta ${i} Ltda`,
          document: '11.222.333/0001-81',
          phones: ['+5511987654321'],
        }),
      });
      if (opened.status !== 201) throw new Error(`POST /contracts answered ${opened.status}`);
      const contractId = ((await opened.json()) as { id: string }).id;
      contractIds.push(contractId);
      for (let s = 0; s < SERVICES_PER_CONTRACT; s++) {
        const ordered = await fetch(`${api.url}/contracts/${contractId}/services`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            kind: 'shared_hosting',
            plan: `Plano ${s}`,
            billingCycle: 'monthly',
            priceCents: 2990,
          }),
        });
        if (ordered.status !== 201)
          throw new Error(`POST /contracts/:id/services answered ${ordered.status}`);
      }
    }
    // The worker inside the API projects the services; wait until the last contract's are listed.
    const deadline = performance.now() + 60_000;
    for (;;) {
      const listed = await fetch(`${api.url}/contracts/${contractIds.at(-1)}/services`, { headers });
      const body = (await listed.json()) as { items?: unknown[] };
      if (listed.status === 200 && (body.items?.length ?? 0) >= SERVICES_PER_CONTRACT) break;
      if (performance.now() > deadline) throw new Error('the services read model did not catch up');
      await new Promise((done) => setTimeout(done, 100));
    }
    let sent = 0;
    const services: autocannon.Request = {
      method: 'GET',
      path: '/contracts',
      headers,
      setupRequest: (request) => ({
        ...request,
        path: `/contracts/${contractIds[sent++ % CONTRACTS]}/services`,
      }),
    };
    const health: autocannon.Request = { method: 'GET', path: '/health' };
    const seconds = options.quick ? 5 : 10;
    await p99At(api.url, 2, [services]);
    const rates: number[] = [];
    const { value, baseline, ratio } = await compare(
      options.quick ? 1 : 2,
      async () => {
        const load = await p99At(api.url, seconds, [services]);
        rates.push(load.requestsPerSecond);
        return load.p99;
      },
      async () => (await p99At(api.url, seconds, [health])).p99,
    );
    return [
      {
        name: 'http.query.p99',
        unit: 'ms',
        value,
        baseline,
        ratio,
        note: `GET /contracts/:id/services (${SERVICES_PER_CONTRACT} services each, ${CONTRACTS} contracts) at ${RATE} requests/s for ${seconds} s (${Math.round(Math.min(...rates))} reached; autocannon, ${CONNECTIONS} connections, API in a child process); baseline GET /health at the same rate; target value <= 20 ms`,
      },
    ];
  } finally {
    await api.stop();
  }
};

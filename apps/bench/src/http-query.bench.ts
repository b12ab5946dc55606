import type { AppConfig } from '@app/config';
import type { DatabaseConnection } from '@app/read-store';
import type { BenchOptions, BenchResult } from './bench-harness';
import { created, openContracts, startApi } from './http-api';
import { p99BesideHealth, type PacedRequest } from './paced-load';

const RATE = 1_000;
/** Most requests in flight at once: room for a stall's backlog, not a pace (see paced-load.ts). */
const CONNECTIONS = 64;
const CONTRACTS = 20;
const SERVICES_PER_CONTRACT = 5;

/**
 * `http.query.p99`: p99 latency of `GET /contracts/:id/services` (a page of a contract's services, read from the
 * services read model) at 1,000 requests/s, against `GET /health` under the same load, API in a child process.
 */
export const httpQueryBenchmarks = async (
  config: AppConfig,
  database: DatabaseConnection,
  options: BenchOptions,
): Promise<BenchResult[]> => {
  const api = await startApi(config, database, {
    userId: 'bench-query-owner',
    email: 'dona@consulta.com.br',
  });
  try {
    const headers = api.headers;
    const contractIds = await openContracts(api, CONTRACTS, 'Consulta');
    for (const contractId of contractIds) {
      for (let s = 0; s < SERVICES_PER_CONTRACT; s++) {
        await created(api, `/contracts/${contractId}/services`, {
          kind: 'shared_hosting',
          plan: `Plano ${s}`,
          billingCycle: 'monthly',
          priceCents: 2990,
        });
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
    const services = (n: number): PacedRequest => ({
      method: 'GET',
      path: `/contracts/${contractIds[n % CONTRACTS]}/services`,
      headers,
    });
    const seconds = options.quick ? 5 : 10;
    const { value, baseline, ratio, reached, p50 } = await p99BesideHealth(
      api.url,
      { rate: RATE, connections: CONNECTIONS, seconds },
      options.quick ? 1 : 2,
      { expectedStatus: 200, requestAt: services },
    );
    return [
      {
        name: 'http.query.p99',
        unit: 'ms',
        value,
        baseline,
        ratio,
        note: `GET /contracts/:id/services (${SERVICES_PER_CONTRACT} services each, ${CONTRACTS} contracts) at ${RATE} requests/s evenly paced for ${seconds} s (${reached} reached, p50 ${p50.toFixed(1)} ms; timed from when each was due, at most ${CONNECTIONS} in flight, API in a child process); baseline GET /health at the same rate; target value <= 20 ms`,
      },
    ];
  } finally {
    await api.stop();
  }
};

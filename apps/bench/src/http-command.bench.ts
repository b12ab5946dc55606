import type { AppConfig } from '@app/config';
import type { DatabaseConnection } from '@app/read-store';
import { compare, type BenchOptions, type BenchResult } from './bench-harness';
import { openContracts, startApi } from './http-api';
import { pacedLoad, type PacedRequest } from './paced-load';

const RATE = 300;
/** Most requests in flight at once: room for a stall's backlog, not a pace (see paced-load.ts). */
const CONNECTIONS = 64;
const CONTRACTS = 20;

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
  const api = await startApi(config, database, {
    userId: 'bench-http-owner',
    email: 'dona@exemplo.com.br',
  });
  try {
    const contractIds = await openContracts(api, CONTRACTS, 'Bench Hospedagem');
    // A new contact each time (a contract refuses the same e-mail twice), spread over the contracts.
    let sent = 0;
    const addContact = (): PacedRequest => {
      const n = sent++;
      return {
        method: 'POST',
        path: `/contracts/${contractIds[n % CONTRACTS]}/contacts`,
        headers: api.headers,
        body: JSON.stringify({
          name: `Contato ${n}`,
          email: `contato-${n}@exemplo.com.br`,
          categories: ['billing'],
        }),
      };
    };
    const health = (): PacedRequest => ({ method: 'GET', path: '/health' });
    const seconds = options.quick ? 5 : 10;
    const load = { rate: RATE, connections: CONNECTIONS, seconds };
    // Warm-up: JIT, pool, aggregate cache.
    await pacedLoad(api.url, { ...load, seconds: 2, expectedStatus: 201 }, addContact);
    const measured: { p50: number; requestsPerSecond: number }[] = [];
    const { value, baseline, ratio } = await compare(
      options.quick ? 1 : 2,
      async () => {
        const round = await pacedLoad(api.url, { ...load, expectedStatus: 201 }, addContact);
        measured.push(round);
        return round.p99;
      },
      async () => (await pacedLoad(api.url, { ...load, expectedStatus: 200 }, health)).p99,
    );
    const reached = Math.round(Math.min(...measured.map((m) => m.requestsPerSecond)));
    const p50 = Math.max(...measured.map((m) => m.p50));
    return [
      {
        name: 'http.command.p99',
        unit: 'ms',
        value,
        baseline,
        ratio,
        note:
          `POST /contracts/:id/contacts at ${RATE} requests/s evenly paced for ${seconds} s (${reached} reached, ` +
          `p50 ${p50.toFixed(1)} ms; timed from when each was due, API in a child process); baseline GET /health ` +
          `at the same rate; target value <= 50 ms`,
      },
    ];
  } finally {
    await api.stop();
  }
};

import type { AppConfig } from '@app/config';
import type { DatabaseConnection } from '@app/read-store';
import type { BenchOptions, BenchResult } from './bench-harness';
import { openContracts, startApi } from './http-api';
import { p99BesideHealth, type PacedRequest } from './paced-load';

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
    const seconds = options.quick ? 5 : 10;
    const { value, baseline, ratio, reached, p50 } = await p99BesideHealth(
      api.url,
      { rate: RATE, connections: CONNECTIONS, seconds },
      options.quick ? 1 : 2,
      { expectedStatus: 201, requestAt: addContact },
    );
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

import type autocannon from 'autocannon';
import type { AppConfig } from '@app/config';
import type { DatabaseConnection } from '@app/read-store';
import { compare, type BenchOptions, type BenchResult } from './bench-harness';
import { openContracts, p99Under, startApi } from './http-api';

const RATE = 300;
/**
 * autocannon paces by the second: each connection sends its share of the rate back to back as a second
 * starts. Eight connections keep that burst near the concurrency the rate needs, rather than a wall of requests.
 */
const CONNECTIONS = 8;
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
    let sent = 0;
    const addContact: autocannon.Request = {
      method: 'POST',
      path: '/contracts',
      headers: api.headers,
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
    const load = { rate: RATE, connections: CONNECTIONS, seconds };
    // Warm-up: JIT, pool, aggregate cache.
    await p99Under(api.url, { ...load, seconds: 2, expectedStatus: 201 }, [addContact]);
    const commandRates: number[] = [];
    const { value, baseline, ratio } = await compare(
      options.quick ? 1 : 2,
      async () => {
        const measured = await p99Under(api.url, { ...load, expectedStatus: 201 }, [addContact]);
        commandRates.push(measured.requestsPerSecond);
        return measured.p99;
      },
      async () => (await p99Under(api.url, { ...load, expectedStatus: 200 }, [health])).p99,
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

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pacedLoad } from './paced-load';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const serve = async (handler: Handler): Promise<{ url: string; server: Server }> => {
  const server = createServer(handler);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
};

const close = (server: Server) => new Promise((closed) => server.close(closed));

describe('pacedLoad', () => {
  it('sends requests evenly over the second, not in a burst as it starts', async () => {
    const arrivals: number[] = [];
    const { url, server } = await serve((request, response) => {
      arrivals.push(performance.now());
      response.end('ok');
    });
    try {
      const load = await pacedLoad(
        url,
        { rate: 200, seconds: 1, connections: 16, expectedStatus: 200 },
        () => ({
          method: 'GET',
          path: '/health',
        }),
      );
      expect(arrivals).toHaveLength(200);
      // Even pacing puts 5 in a 25 ms window (a stall of a busy machine may bunch a few more); a per-second
      // budget spent at once would put most of the 200 there.
      const busiest = Math.max(
        ...arrivals.map((at) => arrivals.filter((t) => t >= at && t < at + 25).length),
      );
      expect(busiest).toBeLessThanOrEqual(40);
      expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(900);
      expect(load.requestsPerSecond).toBeGreaterThan(150);
    } finally {
      await close(server);
    }
  });

  it('times each request from when it was due, so a server that falls behind shows it in the latency', async () => {
    // One connection, 20 ms per answer: 50 answers a second against 100 asked for.
    const { url, server } = await serve((_request, response) => {
      setTimeout(() => response.end('ok'), 20);
    });
    try {
      const load = await pacedLoad(
        url,
        { rate: 100, seconds: 1, connections: 1, expectedStatus: 200 },
        () => ({
          method: 'GET',
          path: '/slow',
        }),
      );
      // The last request, due at 0.99 s, is answered at about 2 s: timed from its sending it would read 20 ms.
      expect(load.p99).toBeGreaterThan(700);
      expect(load.p50).toBeGreaterThan(200);
      expect(load.requestsPerSecond).toBeLessThan(60);
    } finally {
      await close(server);
    }
  });

  it('gives each request its own path and body, and fails with the first unexpected answer', async () => {
    const seen: string[] = [];
    const { url, server } = await serve((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        seen.push(`${request.method} ${request.url} ${body}`);
        if (request.url === '/items/7') {
          response.statusCode = 409;
          response.end('{"code":"CONCURRENCY_CONFLICT"}');
        } else {
          response.statusCode = 201;
          response.end();
        }
      });
    });
    try {
      await expect(
        pacedLoad(url, { rate: 100, seconds: 0.1, connections: 4, expectedStatus: 201 }, (n) => ({
          method: 'POST',
          path: `/items/${n}`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ n }),
        })),
      ).rejects.toThrow(
        '1 of 10 requests failed, first: POST /items/7 answered 409 {"code":"CONCURRENCY_CONFLICT"}',
      );
      expect(seen.sort()).toEqual(Array.from({ length: 10 }, (_, n) => `POST /items/${n} {"n":${n}}`).sort());
    } finally {
      await close(server);
    }
  });
});

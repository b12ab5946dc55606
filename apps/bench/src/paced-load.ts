import { Agent, request as httpRequest } from 'node:http';
import { compare, percentile } from './bench-harness';

/** One request of a paced load. */
export type PacedRequest = Readonly<{
  method: 'GET' | 'POST';
  path: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
}>;

export type LoadShape = Readonly<{
  /** Requests per second, evenly spaced. */
  rate: number;
  seconds: number;
  /** Most requests in flight at once; a request due while all are busy waits for one, and its wait counts. */
  connections: number;
  expectedStatus: number;
}>;

export type Load = Readonly<{
  p50: number;
  p99: number;
  /** Requests answered per second, from the first one due to the last answer: short of `rate` when the server lags. */
  requestsPerSecond: number;
}>;

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Latency in ms of requests sent at an even pace, request `n` due `n / rate` seconds after the start whatever became
 * of the ones before it (an open loop, as independent callers arrive), each timed from the moment it was due: a
 * stall of the server, or of this process, counts against the latency instead of delaying what is sent next
 * (coordinated omission). `requestAt(n)` gives the n-th request. Throws on any error or any other status than
 * `expectedStatus`.
 *
 * autocannon, which this replaces, paces a rate by the second: each connection sends its share back to back as a
 * second starts, then waits for the next one. At "1,000 a second" on 16 connections that was a saturating burst
 * for most of every second, and its latency the depth of that queue (a median of 12 ms for a query the API answers
 * in about 1), not the latency at a thousand requests a second.
 */
export const pacedLoad = async (
  baseUrl: string,
  shape: LoadShape,
  requestAt: (n: number) => PacedRequest,
): Promise<Load> => {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: shape.connections });
  const total = Math.max(1, Math.round(shape.rate * shape.seconds));
  const latencies: number[] = [];
  const failures: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let lastAnswer = 0;

  const send = (n: number, dueAt: number): Promise<void> =>
    new Promise<void>((settle) => {
      const { method, path, headers = {}, body } = requestAt(n);
      const request = httpRequest(
        {
          agent,
          hostname,
          port,
          method,
          path,
          headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const unexpected = response.statusCode !== shape.expectedStatus;
          let answer = '';
          if (unexpected) response.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
          else response.resume();
          response.once('end', () => {
            lastAnswer = performance.now();
            latencies.push(lastAnswer - dueAt);
            if (unexpected) failures.push(`${method} ${path} answered ${response.statusCode} ${answer}`);
            settle();
          });
        },
      );
      request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error('timed out')));
      request.once('error', (error) => {
        failures.push(`${method} ${path}: ${error.message}`);
        settle();
      });
      request.end(body);
    });

  const start = performance.now();
  const dueAt = (n: number) => start + (n * 1000) / shape.rate;
  let sent = 0;
  await new Promise<void>((allSent) => {
    const sendDue = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * shape.rate) / 1000) + 1);
      while (sent < due) {
        const n = sent++;
        const sending = send(n, dueAt(n)).finally(() => inFlight.delete(sending));
        inFlight.add(sending);
      }
      if (sent === total) return allSent();
      setTimeout(sendDue, Math.max(0, dueAt(sent) - performance.now()));
    };
    sendDue();
  });
  await Promise.all(inFlight);
  agent.destroy();
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${total} requests failed, first: ${failures[0]}`);
  }
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    requestsPerSecond: total / ((lastAnswer - start) / 1000),
  };
};

/**
 * p99 of `subject` under a paced load against `GET /health` under the same one, in alternating rounds after a
 * 2-second warm-up of the subject (JIT, pool, aggregate cache): the medians, their ratio, the slowest rate the
 * subject reached and its worst median latency.
 */
export const p99BesideHealth = async (
  baseUrl: string,
  shape: Omit<LoadShape, 'expectedStatus'>,
  rounds: number,
  subject: Readonly<{ expectedStatus: number; requestAt: (n: number) => PacedRequest }>,
): Promise<{ value: number; baseline: number; ratio: number; reached: number; p50: number }> => {
  const load = { ...shape, expectedStatus: subject.expectedStatus };
  await pacedLoad(baseUrl, { ...load, seconds: 2 }, subject.requestAt);
  const measured: Load[] = [];
  const compared = await compare(
    rounds,
    async () => {
      const round = await pacedLoad(baseUrl, load, subject.requestAt);
      measured.push(round);
      return round.p99;
    },
    async () =>
      (
        await pacedLoad(baseUrl, { ...shape, expectedStatus: 200 }, () => ({
          method: 'GET',
          path: '/health',
        }))
      ).p99,
  );
  return {
    ...compared,
    reached: Math.round(Math.min(...measured.map((m) => m.requestsPerSecond))),
    p50: Math.max(...measured.map((m) => m.p50)),
  };
};

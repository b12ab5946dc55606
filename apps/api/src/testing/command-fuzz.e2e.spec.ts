import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE } from '@app/platform';
import { startApiTestApp, TEST_JWT_SECRET, type ApiTestApp } from './api-test-app';
import { commandOperations, type CommandOperation } from './command-operations';
import { givenContract } from './contract-fixture';
import { readWholeLog } from './event-log';
import { authorizationFor, refusedRequestArb, type FuzzRequest, type FuzzTargets } from './fuzz-requests';
import { rawHttpClient, type RawHttpClient, type RawResponse } from './raw-http';

/** Fixed, so a failure replays; FUZZ_SEED=<n> explores another corner. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_521);
const MIN_REQUESTS = 5_000;
/** Requests in flight at once: enough to interleave, few enough for two shared cores. */
const BATCH = 8;

const describeRequest = (request: FuzzRequest, answer: RawResponse): string =>
  `${request.method} ${request.path.slice(0, 200)} (${request.refusedBecause}, credentials ${request.credentials.kind}) ` +
  `with ${request.body === undefined ? 'no body' : `body ${String(request.body.bytes).slice(0, 200)}`} ` +
  `answered ${answer.status}: ${answer.text.slice(0, 300)}`;

/** What every refusal must look like: a 4xx (never a 5xx, never a success) with the API's error body. */
const expectRefusal = (request: FuzzRequest, answer: RawResponse): void => {
  if (answer.status < 400 || answer.status >= 500) throw new Error(describeRequest(request, answer));
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw new Error(`not a JSON error body: ${describeRequest(request, answer)}`);
  }
  const { statusCode, code, message } = (body ?? {}) as Record<string, unknown>;
  if (statusCode !== answer.status || typeof code !== 'string' || !/^[A-Z_]+$/.test(code)) {
    throw new Error(`not the error body shape: ${describeRequest(request, answer)}`);
  }
  if (typeof message !== 'string' || message === '') {
    throw new Error(`an error body without a message: ${describeRequest(request, answer)}`);
  }
  if (typeof answer.headers['x-request-id'] !== 'string') {
    throw new Error(`no X-Request-Id: ${describeRequest(request, answer)}`);
  }
  // A body no endpoint accepts is refused for itself, before any read: never as a missing target or a rule.
  if (request.refusedBecause === 'invalid body' && !REFUSED_BEFORE_ANY_READ.has(answer.status)) {
    throw new Error(`a bad body refused too late: ${describeRequest(request, answer)}`);
  }
};

/** Answers that come before the handler reads anything: a body, header or id refused, no token, no role. */
const REFUSED_BEFORE_ANY_READ: ReadonlySet<number> = new Set([400, 401, 403, 413, 415]);

describe('every command endpoint, fuzzed with requests it must refuse', () => {
  let api: ApiTestApp;
  let client: RawHttpClient;
  let operations: readonly CommandOperation[];
  let targets: FuzzTargets;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { PAYMENT_WEBHOOK_SECRET: 'fuzz-webhook-secret-of-32-characters' } });
    await api.app.listen(0, '127.0.0.1');
    client = rawHttpClient(((api.app.getHttpServer() as Server).address() as AddressInfo).port, {
      sockets: BATCH,
    });
    operations = commandOperations(api.app);
    const contract = await givenContract(api, 'contacts');
    targets = { contractId: contract.contractId, callers: Object.values(contract.callers) };
  });

  afterAll(async () => {
    client.close();
    await api.close();
  });

  it('finds the command endpoints in the app itself', () => {
    const names = operations.map((operation) => `${operation.method} ${operation.template}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /contracts',
        'POST /contracts/{id}/contacts',
        'POST /contracts/{id}/invitations/{invitationId}/acceptance',
        'DELETE /callbacks/{id}',
        'POST /invoices/{id}/nota-fiscal',
        'POST /webhooks/payments',
        'POST /instances/{id}/incidents/{incidentId}/resolution',
      ]),
    );
    expect(operations.length).toBeGreaterThanOrEqual(32);
    expect(operations.find((operation) => operation.template === '/contracts')?.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'holderName', type: 'string' })]),
    );
  });

  it('answers each with a 4xx error body, stays healthy, and appends nothing', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const headBefore = await store.lastCommittedPosition();
    const logBefore = await readWholeLog(store);
    const runsPerOperation = Math.ceil(MIN_REQUESTS / BATCH / operations.length);
    const started = performance.now();
    const sent = new Map<string, number>();
    const answered = new Map<string, number>();
    console.info(
      `command fuzz: seed ${SEED} (FUZZ_SEED to change), ${operations.length} command endpoints, ` +
        `${runsPerOperation * BATCH} requests each`,
    );
    for (const [index, operation] of operations.entries()) {
      const name = `${operation.method} ${operation.template}`;
      await fc.assert(
        fc.asyncProperty(
          fc.array(refusedRequestArb(operation, targets), { minLength: BATCH, maxLength: BATCH }),
          async (requests) => {
            const answers = await Promise.all(
              requests.map(async (request) => {
                const authorization = await authorizationFor(request.credentials, TEST_JWT_SECRET);
                return client.send({
                  method: request.method,
                  path: request.path,
                  headers: {
                    ...request.headers,
                    ...(authorization === undefined ? {} : { Authorization: authorization }),
                    ...(request.body?.contentType === undefined
                      ? {}
                      : { 'Content-Type': request.body.contentType }),
                  },
                  ...(request.body === undefined ? {} : { body: request.body.bytes }),
                });
              }),
            );
            sent.set(name, (sent.get(name) ?? 0) + requests.length);
            requests.forEach((request, i) => expectRefusal(request, answers[i]!));
            for (const answer of answers) {
              const key = `${answer.status} ${(JSON.parse(answer.text) as { code: string }).code}`;
              answered.set(key, (answered.get(key) ?? 0) + 1);
            }
          },
        ),
        // No shrinking: each step re-sends a whole batch of requests, and a failure names its request already.
        { seed: SEED + index, numRuns: runsPerOperation, endOnFailure: true },
      );
    }
    const total = [...sent.values()].reduce((sum, count) => sum + count, 0);
    console.info(
      `command fuzz: ${total} requests in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
        [...sent].map(([name, count]) => `${name} ${count}`).join(', ') +
        `; answers: ${[...answered]
          .sort()
          .map(([key, count]) => `${key} ×${count}`)
          .join(', ')}`,
    );
    expect(total).toBeGreaterThanOrEqual(MIN_REQUESTS);
    expect([...sent.keys()]).toHaveLength(operations.length);
    // Every kind of refusal was reached: no generator is dead.
    expect([...answered.keys()]).toEqual(
      expect.arrayContaining([
        '400 VALIDATION_FAILED',
        '401 UNAUTHENTICATED',
        '404 NOT_FOUND',
        '413 PAYLOAD_TOO_LARGE',
        '415 UNSUPPORTED_MEDIA_TYPE',
      ]),
    );

    const health = await client.send({ method: 'GET', path: '/health', headers: {} });
    expect(health.status).toBe(200);
    expect(await store.lastCommittedPosition()).toBe(headBefore);
    expect((await readWholeLog(store)).map((event) => event.id)).toEqual(logBefore.map((event) => event.id));
  }, 110_000);
});

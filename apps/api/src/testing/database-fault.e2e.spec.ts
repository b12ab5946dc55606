import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { contractStream } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE } from '@app/platform';
import { openDatabase, type DatabaseConnection } from '@app/read-store';
import { startTcpProxy, type TcpProxy } from '@app/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { readWholeLog } from './event-log';
import { rawHttpClient, type RawHttpClient, type RawResponse } from './raw-http';

/** Runs only against a Postgres server (jest does not collect this file without DATABASE_URL). */
const serverUrl = process.env.DATABASE_URL;

/** No request may take longer than this, cut network or not. */
const REQUEST_BOUND_MS = 10_000;
const CONCURRENCY = 8;
const BEFORE_CUT_MS = 1_500;
const CUT_MS = 3_500;
const AFTER_RESTORE_MS = 2_000;

const CONTRACT_BODY = JSON.stringify({
  holderName: 'Maria da Silva ME',
  document: '529.982.247-25',
  phones: ['+5511987654321'],
});

type Sent = Readonly<{ key: string; answer: RawResponse; phase: 'before' | 'cut' | 'after' }>;

/** A schema of its own on the server, reached through `proxy`; dropped on close. */
const openThroughProxy = async (url: string, proxy: TcpProxy): Promise<DatabaseConnection> => {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  const schema = `test_fault_${randomBytes(5).toString('hex')}`;
  // The production pool timeouts: the cut must be answered quickly with them, not with test-only ones.
  const connection = await openDatabase({
    kind: 'server',
    url: proxied.toString(),
    schema,
    poolSize: CONCURRENCY,
  });
  let closing: Promise<void> | undefined;
  return {
    ...connection,
    close: () =>
      (closing ??= (async () => {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(connection.db);
        await connection.close();
      })()),
  };
};

if (serverUrl !== undefined && serverUrl !== '') {
  describe('the API while the network to its Postgres server is cut', () => {
    let proxy: TcpProxy;
    let api: ApiTestApp;
    let client: RawHttpClient;
    let token: string;

    beforeAll(async () => {
      const target = new URL(serverUrl);
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      api = await startApiTestApp({ openDatabase: () => openThroughProxy(serverUrl, proxy) });
      await api.app.listen(0, '127.0.0.1');
      client = rawHttpClient(((api.app.getHttpServer() as Server).address() as AddressInfo).port, {
        sockets: CONCURRENCY + 2,
        timeoutMs: REQUEST_BOUND_MS,
      });
      token = await api.tokenFor({ userId: 'u-fault', email: 'fault@exemplo.com.br' });
    });

    afterAll(async () => {
      proxy.restore();
      client.close();
      await api.close();
      await proxy.close();
    });

    const openContract = (key: string) =>
      client.send({
        method: 'POST',
        path: '/contracts',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': key,
        },
        body: CONTRACT_BODY,
      });
    const ready = () => client.send({ method: 'GET', path: '/ready', headers: {} });

    it('answers 201 or 503 within the bound while cut, serves again once restored, and records each acknowledged command once', async () => {
      const sent: Sent[] = [];
      const readiness: RawResponse[] = [];
      let phase: Sent['phase'] = 'before';
      let next = 0;
      const started = performance.now();
      const stopAt = started + BEFORE_CUT_MS + CUT_MS + AFTER_RESTORE_MS;

      const load = Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < stopAt) {
          const key = `fault-${next++}`;
          const sentIn = phase;
          sent.push({ key, answer: await openContract(key), phase: sentIn });
        }
      });
      const faults = (async () => {
        await sleep(BEFORE_CUT_MS);
        proxy.cut();
        phase = 'cut';
        await sleep(CUT_MS / 2);
        readiness.push(await ready());
        await sleep(CUT_MS / 2);
        proxy.restore();
        phase = 'after';
      })();
      await Promise.all([...load, faults]);

      const tally = (filter: (s: Sent) => boolean) =>
        Object.fromEntries(
          [...new Set(sent.filter(filter).map((s) => s.answer.status))].map((status) => [
            status,
            sent.filter((s) => filter(s) && s.answer.status === status).length,
          ]),
        );
      console.info(
        `database fault: ${sent.length} requests; before the cut ${JSON.stringify(tally((s) => s.phase === 'before'))}, ` +
          `sent while cut ${JSON.stringify(tally((s) => s.phase === 'cut'))}, ` +
          `after the restore ${JSON.stringify(tally((s) => s.phase === 'after'))}; ` +
          `slowest ${Math.round(Math.max(...sent.map((s) => s.answer.ms)))} ms`,
      );

      // 1. Every answer is an acknowledgement or a 503 saying the dependency is down, and came in time.
      for (const { key, answer } of sent) {
        if (answer.status !== 201) {
          expect({ key, status: answer.status, body: JSON.parse(answer.text) as unknown }).toEqual({
            key,
            status: 503,
            body: expect.objectContaining({ statusCode: 503, code: 'DEPENDENCY_UNAVAILABLE' }) as unknown,
          });
        }
        expect(answer.ms).toBeLessThan(REQUEST_BOUND_MS);
      }
      expect(sent.filter((s) => s.phase === 'before' && s.answer.status === 201).length).toBeGreaterThan(0);
      expect(sent.filter((s) => s.phase === 'cut' && s.answer.status === 503).length).toBeGreaterThan(0);

      // 2. Not ready while cut.
      expect(readiness.map((answer) => answer.status)).toEqual([503]);

      // 3. The same app serves again, without a restart.
      const deadline = performance.now() + REQUEST_BOUND_MS;
      while ((await ready()).status !== 200 && performance.now() < deadline) await sleep(100);
      expect((await ready()).status).toBe(200);
      expect((await openContract('fault-after-restore')).status).toBe(201);

      // 4. Retrying a refused command with its key after the restore succeeds: the client's way out.
      const refused = sent.filter((s) => s.answer.status === 503);
      for (const { key } of refused) expect((await openContract(key)).status).toBe(201);

      // 5. Every acknowledged contract is in the log exactly once, and none is there twice.
      const store = api.app.get<EventStore>(EVENT_STORE);
      const acknowledged = sent
        .filter((s) => s.answer.status === 201)
        .map((s) => (JSON.parse(s.answer.text) as { id: string }).id);
      for (const id of acknowledged) {
        const stream = await store.readStream(contractStream(id));
        expect(stream.filter((event) => event.type === 'ContractOpened')).toHaveLength(1);
      }
      const opened = (await readWholeLog(store))
        .filter((event) => event.type === 'ContractOpened')
        .map((event) => event.streamName);
      expect(new Set(opened).size).toBe(opened.length);
      // Each key opened one contract: the acknowledged, the retried and the one after the restore.
      expect(opened.length).toBe(new Set(sent.map((s) => s.key)).size + 1);
    }, 60_000);
  });
}

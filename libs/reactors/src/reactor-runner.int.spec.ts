import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AggregateCache } from '@app/command-handling';
import { PostgresEventStore, type EventStore, type NewEvent } from '@app/event-store';
import type { CheckpointDatabase } from '@app/projection-runner';
import { migrateToLatest } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { firstInvoiceReactor } from './billing.reactors';
import { ReactorRunner } from './reactor-runner';
import { orderService } from './testing/order-service';

const invoiceStreamOf = (serviceId: string) => `invoice-inv-${serviceId}-2024-02-29`;

/** The store as the runner sees it, counting its reads of the head. */
const countingHeads = (store: EventStore) => {
  const heads = { read: 0 };
  const counted = new Proxy(store, {
    get: (target, property, receiver) => {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'headPosition') heads.read++;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { counted, heads };
};

const ping = (): NewEvent => ({
  id: randomUUID(),
  type: 'Pinged',
  data: {},
  metadata: {
    actor: { kind: 'system', rule: 'reactor-runner-spec' },
    occurredAt: new Date().toISOString(),
    correlationId: 'ping',
    causationId: 'ping',
    schemaVersion: 1,
  },
});

describe('ReactorRunner', () => {
  it('wakes an idle reactor when an event is appended, without waiting for its next look', async () => {
    const connection = await openTestDatabase();
    await migrateToLatest(connection.db);
    const store = PostgresEventStore.open(connection.db, {
      directQuery: connection.query,
      ...(connection.listen ? { listen: connection.listen } : {}),
    });
    const writePath = { eventStore: store, cache: new AggregateCache() };
    // A look a minute apart: only the append's wake-up can bring each order's invoice within the waits below.
    const runner = new ReactorRunner({
      db: connection.db as Kysely<CheckpointDatabase>,
      store,
      writePath,
      reactors: [firstInvoiceReactor],
      idleMs: 60_000,
    });
    const invoiced = async (serviceId: string) => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        if ((await store.readStream(invoiceStreamOf(serviceId))).length > 0) return true;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return false;
    };
    try {
      runner.start();
      for (let n = 1; n <= 4; n++) {
        // Each order comes once the reactor has gone idle again after the previous one.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await orderService(writePath, `svc-woken-${n}`, 'monthly');
        expect(await invoiced(`svc-woken-${n}`)).toBe(true);
      }
    } finally {
      await runner.stop();
      await connection.close();
    }
  });

  it('looks at the log about once a second while nothing is appended, by default', async () => {
    const connection = await openTestDatabase();
    await migrateToLatest(connection.db);
    const store = PostgresEventStore.open(connection.db, { directQuery: connection.query });
    const { counted, heads } = countingHeads(store);
    const runner = new ReactorRunner({
      db: connection.db as Kysely<CheckpointDatabase>,
      store: counted,
      writePath: { eventStore: store, cache: new AggregateCache() },
      reactors: [firstInvoiceReactor],
    });
    try {
      runner.start();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      await runner.stop();
      await connection.close();
    }
    // The subscription's read of the head, the reactor's first look and one a second after it: a handful, where
    // looking every 50 ms (the default before appends woke reactors) made thirty.
    expect(heads.read).toBeGreaterThanOrEqual(2);
    expect(heads.read).toBeLessThanOrEqual(6);
  });

  it('reads the head once for the reactors an append wakes together, and each moves past it', async () => {
    const connection = await openTestDatabase();
    await migrateToLatest(connection.db);
    const store = PostgresEventStore.open(connection.db, {
      directQuery: connection.query,
      ...(connection.listen ? { listen: connection.listen } : {}),
    });
    const { counted, heads } = countingHeads(store);
    const seen: string[] = [];
    const reactors = Array.from({ length: 4 }, (_, n) => ({
      name: `listener-${n}`,
      handles: ['Pinged'],
      react: (context: { event: { type: string } }) => {
        seen.push(`${n}:${context.event.type}`);
        return Promise.resolve();
      },
    }));
    const runner = new ReactorRunner({
      db: connection.db as Kysely<CheckpointDatabase>,
      store: counted,
      writePath: { eventStore: store, cache: new AggregateCache() },
      reactors,
      idleMs: 60_000,
    });
    const checkpoints = async () =>
      (await runner.status()).map((row) => row.position).filter((position) => position !== null);
    try {
      runner.start();
      await store.append('ping-1', [ping()], 'no_stream');
      const deadline = Date.now() + 10_000;
      while (seen.length < 4 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 300));
      heads.read = 0;
      const { position } = await store.append('ping-2', [ping()], 'no_stream');
      while (seen.length < 8 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      while ((await checkpoints()).filter((at) => at >= position).length < 4 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen.slice(4).sort()).toEqual(['0:Pinged', '1:Pinged', '2:Pinged', '3:Pinged']);
      expect((await checkpoints()).filter((at) => at >= position)).toHaveLength(4);
      // Four reactors woken by one append each look twice (the step that moves, the one that finds nothing more):
      // eight heads asked alone, one a round between them, a few more when the machine spreads their steps.
      expect(heads.read).toBeLessThanOrEqual(4);
    } finally {
      await runner.stop();
      await connection.close();
    }
  });
});

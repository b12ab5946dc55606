import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import {
  allocatedNotaFiscalNumber,
  notaFiscalAllocation,
  notaFiscalSeriesDecider,
  type Actor,
} from '@app/domain';
import { PostgresEventStore, PostgresSnapshotStore } from '@app/event-store';
import type { DatabaseConnection } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { AggregateCache } from './aggregate-cache';
import { handleCommand, type WritePath } from './handle-command';
import { notaFiscalSeriesSnapshotPolicy } from './snapshot-policies';
import { snapshotPolicy, Snapshotting } from './snapshots';

const SENDERS: readonly Actor[] = [
  { kind: 'system', rule: 'issue-notas-fiscais' },
  { kind: 'user', userId: 'staff-1', email: 'cobranca@provedor.com.br', roles: ['billing'] },
];

/**
 * The series keeps no invoice → number map: that an invoice gets one number, once, rests on every allocation
 * going under `notaFiscalAllocation`'s command id. Checked against a plain model (the first request for an
 * invoice takes the next number, every later one answers it) through the real write path, with senders that
 * restart (no cache, a snapshot every 3 allocations), send twice at once, and come as either actor.
 */
describe('nota fiscal numbers through the write path', () => {
  let connection: DatabaseConnection;
  let eventStore: PostgresEventStore;

  beforeAll(async () => {
    connection = await openTestDatabase();
    eventStore = await PostgresEventStore.create(connection.db as Kysely<unknown>, {
      directQuery: connection.query,
    });
  });
  afterAll(async () => {
    await eventStore.close();
    await connection.close();
  });

  const allocate = async (writePath: WritePath, stream: string, invoiceId: string, actor: Actor) => {
    const { events } = await handleCommand(writePath, notaFiscalSeriesDecider, stream, {
      command: {
        type: 'AllocateNotaFiscalNumber',
        data: { invoiceId },
        metadata: { now: '2026-03-10T13:00:00.000Z', actor },
      },
      ...notaFiscalAllocation(invoiceId),
    });
    return allocatedNotaFiscalNumber(events, invoiceId);
  };

  it('gives each invoice one number, gapless, whoever asks, however often, after any restart', async () => {
    const request = fc.record({
      invoice: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      sender: fc.nat(SENDERS.length - 1),
      restart: fc.boolean(),
      twice: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 25 }), async (requests) => {
        const stream = `nota-fiscal-series-${randomUUID()}`;
        const snapshots = new Snapshotting(new PostgresSnapshotStore(connection.db as Kysely<unknown>), [
          snapshotPolicy(notaFiscalSeriesDecider, { ...notaFiscalSeriesSnapshotPolicy, every: 3 }),
        ]);
        const fresh = (): WritePath => ({ eventStore, snapshots, cache: new AggregateCache() });
        let writePath = fresh();
        const model = new Map<string, number>();
        for (const { invoice, sender, restart, twice } of requests) {
          if (restart) {
            await snapshots.settled();
            writePath = fresh();
          }
          const ask = () => allocate(writePath, stream, invoice, SENDERS[sender]!);
          const answers = twice ? await Promise.all([ask(), ask()]) : [await ask()];
          if (!model.has(invoice)) model.set(invoice, model.size + 1);
          for (const answer of answers) expect(answer).toBe(model.get(invoice));
        }
        await snapshots.settled();
        const stored = (await eventStore.readStream(stream)).map((event) => event.data);
        expect(stored).toEqual([...model].map(([invoice, number]) => ({ invoiceId: invoice, number })));
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

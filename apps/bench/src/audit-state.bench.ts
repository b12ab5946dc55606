import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { contractStream, invoiceStream, serviceStream } from '@app/domain';
import {
  PostgresEventStore,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type Position,
} from '@app/event-store';
import { auditLogProjection, contractStateAt, type AuditLogDatabase } from '@app/projections';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { compare, duration, median, type BenchOptions, type BenchResult } from './bench-harness';

const SERVICES = 20;
/** Each paid invoice is three events: issued and paid on its stream, the payment followed on the service's. */
const INVOICES = 3_300;
const START = Date.parse('2020-01-01T00:00:00.000Z');

const metadataAt = (ms: number): EventMetadata => ({
  actor: { kind: 'system', rule: 'bench' },
  occurredAt: new Date(ms).toISOString(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  commandName: 'Bench',
  schemaVersion: 1,
});

const event = (type: string, data: object, ms: number): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: metadataAt(ms),
});

/** One contract with 20 services and 3,300 paid invoices: 10,000 or so events over its streams. */
const generateContract = async (store: EventStore, contractId: string): Promise<number> => {
  let count = 0;
  const append = async (stream: string, events: readonly NewEvent[]) => {
    await store.append(stream, events, 'any');
    count += events.length;
  };
  const owner = { userId: 'bench-owner', email: 'dona@exemplo.com.br', name: null };
  await append(contractStream(contractId), [
    event(
      'ContractOpened',
      {
        contractId,
        owner,
        holderName: 'Loja de Benchmark',
        document: { kind: 'cpf', value: '52998224725' },
        phones: ['+5511987654321'],
        paymentMethod: { method: 'boleto' },
        openedAt: new Date(START).toISOString(),
      },
      START,
    ),
  ]);
  const serviceIds = Array.from({ length: SERVICES }, () => randomUUID());
  for (const [n, serviceId] of serviceIds.entries()) {
    await append(serviceStream(serviceId), [
      event(
        'ServiceOrdered',
        {
          serviceId,
          contractId,
          kind: 'shared_hosting',
          plan: `Plano ${n}`,
          billingCycle: 'monthly',
          priceCents: 2990,
          parentServiceId: null,
          parentKind: null,
          paymentMethod: null,
          orderedAt: new Date(START).toISOString(),
          firstDueDate: '2020-01-01',
          anchorDay: 1,
        },
        START,
      ),
    ]);
  }
  for (let n = 0; n < INVOICES; n++) {
    const invoiceId = randomUUID();
    const serviceId = serviceIds[n % SERVICES]!;
    const ms = START + n * 3_600_000;
    const dueDate = new Date(ms).toISOString().slice(0, 10);
    await append(invoiceStream(invoiceId), [
      event(
        'InvoiceIssued',
        {
          invoiceId,
          contractId,
          lines: [
            {
              serviceId,
              description: 'Mensalidade',
              periodStart: dueDate,
              periodEnd: dueDate,
              amountCents: 2990,
            },
          ],
          totalCents: 2990,
          dueDate,
          issuedAt: new Date(ms).toISOString(),
        },
        ms,
      ),
      event(
        'InvoicePaid',
        {
          invoiceId,
          transactionId: `tx-${n}`,
          amountCents: 2990,
          method: 'boleto',
          paidAt: new Date(ms).toISOString(),
          wasOverdue: false,
        },
        ms,
      ),
    ]);
    await append(serviceStream(serviceId), [
      event(
        'ServiceInvoicePaid',
        {
          serviceId,
          invoiceId,
          paidAt: new Date(ms).toISOString(),
          previousDueDate: dueDate,
          nextDueDate: dueDate,
        },
        ms,
      ),
    ]);
  }
  return count;
};

/**
 * What the worker does first: the audit log indexes the log — every event up to `through`, the contract's and
 * whatever earlier benchmarks of the run wrote in the same schema. A page may come back empty for a moment while
 * a transaction still in flight holds the readable head back.
 */
const indexLog = async (
  store: EventStore,
  db: Kysely<AuditLogDatabase>,
  through: Position,
): Promise<void> => {
  let after: Position | undefined;
  const deadline = Date.now() + 300_000;
  while (after === undefined || after < through) {
    const events = await store.readAll({ ...(after ? { after } : {}), maxCount: 2_000 });
    if (events.length === 0) {
      if (Date.now() > deadline) throw new Error(`the log did not become readable up to ${through}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    await db.transaction().execute((trx) => auditLogProjection.apply(events, trx));
    after = events.at(-1)!.position;
  }
};

const RAW_EVENTS = `select type, data, metadata, stream_name, revision from es_events
  where stream_name = any($1::text[]) and occurred_at <= $2 order by stream_name, revision`;

/**
 * audit.state: ms to rebuild a contract of about 10,000 events as it was at an instant (every stream read through
 * the port up to then and folded with the domain's evolve), against reading the same events with one raw query.
 */
export const auditStateBenchmarks = async (
  connection: DatabaseConnection,
  options: BenchOptions,
): Promise<BenchResult[]> => {
  const db = connection.db as Kysely<unknown>;
  await migrateToLatest(db);
  const store = PostgresEventStore.open(db, { directQuery: connection.query });
  const contractId = randomUUID();
  const count = await generateContract(store, contractId);
  const audit = connection.db as Kysely<AuditLogDatabase>;
  await indexLog(store, audit, (await store.lastCommittedPosition())!);
  const at = new Date(START + INVOICES * 3_600_000);
  const streams = (
    await audit
      .selectFrom('audit_streams')
      .select('stream_name')
      .where('contract_id', '=', contractId)
      .execute()
  ).map((row) => row.stream_name);
  const indexed = await audit
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('contract_id', '=', contractId)
    .executeTakeFirstOrThrow();
  const check = await contractStateAt(store, audit, contractId, at);
  if (check.eventCount !== count || Number(indexed.n) !== count) {
    throw new Error(
      `audit.state folded ${check.eventCount} of ${count} events; the index holds ${indexed.n} over ${streams.length} streams`,
    );
  }
  const calls = options.quick ? 5 : 15;
  const perCall = (operation: () => Promise<unknown>) => async () => {
    const times: number[] = [];
    for (let n = 0; n < calls; n++) times.push(await duration(operation));
    return median(times);
  };
  const result = await compare(
    options.quick ? 3 : 5,
    perCall(async () => {
      const state = await contractStateAt(store, audit, contractId, at);
      if (state.eventCount !== count)
        throw new Error(`audit.state folded ${state.eventCount} of ${count} events`);
    }),
    perCall(() => connection.query(RAW_EVENTS, [streams, at.toISOString()], 'bench_audit_raw')),
  );
  await store.close();
  return [
    {
      name: 'audit.state',
      unit: 'ms',
      ...result,
      note: `state at an instant of a contract with ${count.toLocaleString('en')} events over ${streams.length} streams; baseline one raw pg query of those events; lower is better`,
    },
  ];
};

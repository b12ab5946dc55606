import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { BillingClock } from '@app/billing-clock';
import { AggregateCache } from '@app/command-handling';
import { addDays, serviceStream, type Cents, type ServiceEvent } from '@app/domain';
import { PostgresEventStore, type EventMetadata } from '@app/event-store';
import { ProjectionRunner, type CheckpointDatabase } from '@app/projection-runner';
import { billingAgendaProjection, type BillingAgendaDatabase } from '@app/projections';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import type { BenchOptions, BenchResult } from './bench-harness';

/** The day the book is run on; every service is due ten days later, so the run issues one invoice for each. */
const RUN_DAY = '2026-12-21';
const RUN_AT = '2026-12-21T12:00:00.000Z';

const metadata = (at: string): EventMetadata => ({
  actor: { kind: 'system', rule: 'bench' },
  occurredAt: at,
  correlationId: 'bench',
  causationId: 'bench',
  schemaVersion: 1,
});

/** An active service's history, paid up to a next due date ten days after the run: what the book is made of. */
const history = (serviceId: string, index: number): readonly ServiceEvent[] => {
  const kinds = ['shared_hosting', 'reseller_hosting', 'cloud_server', 'dedicated_server', 'domain'] as const;
  const cycles = ['monthly', 'quarterly', 'semiannual', 'annual'] as const;
  const nextDueDate = addDays(RUN_DAY, 10);
  return [
    {
      type: 'ServiceOrdered',
      data: {
        serviceId,
        contractId: `ctr-${index % 5000}`,
        kind: kinds[index % kinds.length]!,
        plan: 'Plano Bench',
        billingCycle: cycles[index % cycles.length]!,
        priceCents: 2990 as Cents,
        parentServiceId: null,
        parentKind: null,
        paymentMethod: null,
        orderedAt: '2026-11-30T15:00:00.000Z',
        firstDueDate: '2026-11-30',
        anchorDay: 31,
      },
    },
    {
      type: 'ServiceInvoicePaid',
      data: {
        serviceId,
        invoiceId: `inv-${serviceId}-2026-11-30`,
        paidAt: '2026-11-30T15:00:00.000Z',
        previousDueDate: '2026-11-30',
        nextDueDate,
      },
    },
    {
      type: 'ServiceProvisioned',
      data: { serviceId, instanceId: 'srv-bench', provisionedAt: '2026-11-30T15:00:00.000Z' },
    },
    { type: 'ServiceActivated', data: { serviceId, activatedAt: '2026-11-30T15:00:00.000Z' } },
  ];
};

/**
 * billing.clock: one run over a generated book of active services (20,000; 2,000 with --quick), each of which
 * is due an invoice, on a fresh schema: the time of the run once its agenda has caught up, and services per
 * second. Every candidate is loaded and decided on its aggregate and its invoice appended through the write path.
 */
export const billingClockBenchmarks = async (
  database: DatabaseConnection,
  options: BenchOptions,
): Promise<BenchResult[]> => {
  const services = options.quick ? 2_000 : 20_000;
  await migrateToLatest(database.db);
  const store = PostgresEventStore.open(database.db, { directQuery: database.query });
  const db = database.db as Kysely<BillingAgendaDatabase & CheckpointDatabase>;
  const prefix = randomUUID().slice(0, 8);
  const writers = 16;
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let index = next++; index < services; index = next++) {
        const serviceId = `${prefix}-${index}`;
        await store.append(
          serviceStream(serviceId),
          history(serviceId, index).map((event) => ({
            id: randomUUID(),
            type: event.type,
            data: event.data,
            metadata: metadata('2026-11-30T15:00:00.000Z'),
          })),
          'no_stream',
        );
      }
    }),
  );
  const agenda = new ProjectionRunner<BillingAgendaDatabase>({
    db,
    store,
    projections: [billingAgendaProjection],
    batchSize: 2_000,
    idleMs: 10,
    wakeOnAppend: false,
  });
  agenda.start();
  try {
    const clock = new BillingClock({
      db,
      store,
      writePath: { eventStore: store, cache: new AggregateCache() },
      catchUpTimeoutMs: 600_000,
      concurrency: 16,
    });
    // Waiting for the agenda to reach the head is part of a run, but building it is not: catch up first.
    const head = await store.headPosition();
    if (head !== undefined) await agenda.caughtUpTo(head, 600_000);
    const started = performance.now();
    const report = await clock.run(RUN_AT);
    const seconds = (performance.now() - started) / 1000;
    if (report.counts['issue-invoices'] !== services) {
      throw new Error(
        `billing.clock issued ${report.counts['issue-invoices']} invoices for ${services} services`,
      );
    }
    return [
      {
        name: 'billing.clock',
        value: seconds,
        unit: 's',
        note: `one run over ${services} active services, each issued its next invoice`,
      },
      { name: 'billing.clock.services_per_s', value: services / seconds, unit: 'services/s' },
    ];
  } finally {
    await agenda.stop();
  }
};

import type { Kysely } from 'kysely';
import type { RecordedEvent } from '@app/event-store';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { emptyTestDatabase, openTestDatabase, projectionSpecification, recordedEvent } from '@app/testing';
import { contractSummaryProjection } from './contract-summary.projection';
import { contractSummary } from './contract-summary.queries';
import type { ContractSummaryDatabase, ContractSummaryRow } from './contract-summary.table';

const opened = (contractId: string) =>
  recordedEvent(`contract-${contractId}`, 0, 'ContractOpened', {
    contractId,
    owner: { userId: 'u-owner', email: 'dona@exemplo.com.br', name: 'Dona' },
    holderName: 'Maria ME',
    document: { kind: 'cpf', number: '52998224725' },
    phones: ['+5511987654321'],
    paymentMethod: { method: 'boleto' },
    openedAt: '2026-01-05T12:00:00.000Z',
  });

/** A service's events in its stream's order: ordered, then each step named. */
const service = (serviceId: string, contractId: string, ...steps: readonly (readonly [string, object])[]) =>
  [
    [
      'ServiceOrdered',
      { contractId, kind: 'shared_hosting', plan: 'Plano M', billingCycle: 'monthly', priceCents: 2990 },
    ],
    ...steps,
  ].map(([type, data], revision) =>
    recordedEvent(`service-${serviceId}`, revision, type as string, { serviceId, ...(data as object) }),
  );
const onInstance = (instanceId: string) => ['ServiceProvisioned', { instanceId }] as const;
const activated = ['ServiceActivated', {}] as const;
const suspended = ['ServiceSuspended', { reason: 'non_payment' }] as const;
const cancelled = ['ServiceCancelled', { when: 'immediate' }] as const;
const terminated = ['ServiceTerminated', { cause: 'retention_elapsed' }] as const;

const invoice = (
  invoiceId: string,
  contractId: string,
  totalCents: number,
  dueDate: string,
  ...steps: readonly string[]
) => [
  recordedEvent(`invoice-${invoiceId}`, 0, 'InvoiceIssued', {
    invoiceId,
    contractId,
    lines: [],
    totalCents,
    dueDate,
  }),
  ...steps.map((type, index) => recordedEvent(`invoice-${invoiceId}`, index + 1, type, { invoiceId })),
];

const ticket = (ticketId: string, contractId: string, ...steps: readonly string[]) =>
  ['TicketOpened', ...steps].map((type, revision) =>
    recordedEvent(`ticket-${ticketId}`, revision, type, { ticketId, contractId }),
  );

const incident = (instanceId: string, incidentId: string, revision: number, type = 'IncidentOpened') =>
  recordedEvent(`instance-${instanceId}`, revision, type, { instanceId, incidentId });

const zero: Omit<ContractSummaryRow, 'contract_id' | 'holder_name'> = {
  services_pending: 0,
  services_active: 0,
  services_suspended: 0,
  services_cancelled: 0,
  services_terminated: 0,
  open_invoices_count: 0,
  overdue_invoices_count: 0,
  open_invoices_total_cents: 0,
  next_invoice_due_date: null,
  open_tickets_count: 0,
  active_alerts_count: 0,
};

// c-1 runs s-1 (active) and s-2 (suspended) on i-1, s-3 (pending, not provisioned), s-4 cancelled off i-2.
const estate: RecordedEvent[] = [
  opened('c-1'),
  opened('c-2'),
  ...service('s-1', 'c-1', onInstance('i-1'), activated),
  ...service('s-2', 'c-1', onInstance('i-1'), activated, suspended),
  ...service('s-3', 'c-1'),
  ...service('s-4', 'c-1', onInstance('i-2'), activated, cancelled),
  ...service('s-9', 'c-2', onInstance('i-2'), activated),
];

describe('the contract summary read model', () => {
  let connection: DatabaseConnection;
  const db = () => connection.db as Kysely<ContractSummaryDatabase>;
  const spec = projectionSpecification(contractSummaryProjection, db);
  const summaryOf =
    (contractId: string) =>
    async (database: Kysely<ContractSummaryDatabase>): Promise<Partial<ContractSummaryRow> | undefined> => {
      const row = await contractSummary(database, contractId);
      if (!row) return undefined;
      const { contract_id: _id, holder_name: _holder, ...figures } = row;
      return figures;
    };

  // Migrated once for the file; each test starts from the emptied tables a fresh schema would have.
  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
  });
  beforeEach(() => emptyTestDatabase(connection.db));
  afterAll(() => connection.close());

  it('starts a contract with nothing to show', () =>
    spec
      .given([])
      .when([opened('c-1')])
      .then((database) => contractSummary(database, 'c-1'), {
        contract_id: 'c-1',
        holder_name: 'Maria ME',
        ...zero,
      }));

  it('counts services by status', () =>
    spec
      .given([opened('c-1')])
      .when(estate.slice(1))
      .then(summaryOf('c-1'), {
        ...zero,
        services_pending: 1,
        services_active: 1,
        services_suspended: 1,
        services_cancelled: 1,
      }));

  it('moves a terminated service out of suspended', () =>
    spec
      .given(estate)
      .when(service('s-2', 'c-1', onInstance('i-1'), activated, suspended, terminated).slice(-1))
      .then(
        async (database) => {
          const row = await contractSummary(database, 'c-1');
          return [row?.services_suspended, row?.services_terminated];
        },
        [0, 1],
      ));

  it('totals the unpaid invoices, overdue ones included, and names the earliest due date across a month end', () =>
    spec
      .given(estate)
      .when([
        ...invoice('inv-jan', 'c-1', 2990, '2026-01-31', 'InvoicePaid'),
        ...invoice('inv-mar', 'c-1', 8970, '2026-03-31'),
        ...invoice('inv-feb', 'c-1', 2990, '2026-02-28', 'InvoiceMarkedOverdue'),
        ...invoice('inv-other', 'c-2', 100, '2026-02-01'),
      ])
      .then(
        async (database) => {
          const row = await contractSummary(database, 'c-1');
          return [
            row?.open_invoices_count,
            row?.overdue_invoices_count,
            row?.open_invoices_total_cents,
            row?.next_invoice_due_date,
          ];
        },
        [2, 1, 11960, '2026-02-28'],
      ));

  it('drops a cancelled invoice from the unpaid ones', () =>
    spec
      .given([
        ...estate,
        ...invoice('inv-mar', 'c-1', 8970, '2026-03-31'),
        ...invoice('inv-feb', 'c-1', 2990, '2026-02-28', 'InvoiceMarkedOverdue'),
      ])
      .when([recordedEvent('invoice-inv-feb', 2, 'InvoiceCancelled', { invoiceId: 'inv-feb' })])
      .then(
        async (database) => {
          const row = await contractSummary(database, 'c-1');
          return [
            row?.open_invoices_count,
            row?.overdue_invoices_count,
            row?.open_invoices_total_cents,
            row?.next_invoice_due_date,
          ];
        },
        [1, 0, 8970, '2026-03-31'],
      ));

  it('counts tickets that are not closed, a reopened one among them', () =>
    spec
      .given(estate)
      .when([
        ...ticket('t-1', 'c-1', 'TicketReplied', 'TicketStatusChanged'),
        ...ticket('t-2', 'c-1', 'TicketClosed'),
        ...ticket('t-3', 'c-1', 'TicketClosed', 'TicketReopened', 'TicketReplied'),
        ...ticket('t-4', 'c-2'),
      ])
      .then(async (database) => (await contractSummary(database, 'c-1'))?.open_tickets_count, 2));

  it('counts each open incident on the instances its live services run on once, and only those', () =>
    spec
      .given(estate)
      .when([incident('i-1', 'inc-1', 1), incident('i-1', 'inc-2', 2), incident('i-2', 'inc-3', 1)])
      .then(
        async (database) => ({
          c1: (await contractSummary(database, 'c-1'))?.active_alerts_count,
          c2: (await contractSummary(database, 'c-2'))?.active_alerts_count,
        }),
        { c1: 2, c2: 1 },
      ));

  it('follows alerts as incidents resolve and services come onto or leave the instance', () =>
    spec
      .given([...estate, incident('i-1', 'inc-1', 1), incident('i-2', 'inc-3', 1)])
      .when([
        incident('i-1', 'inc-1', 2, 'IncidentResolved'),
        recordedEvent('service-s-3', 1, 'ServiceProvisioned', { serviceId: 's-3', instanceId: 'i-2' }),
        recordedEvent('service-s-9', 3, 'ServiceCancelled', { serviceId: 's-9' }),
      ])
      .then(
        async (database) => ({
          c1: (await contractSummary(database, 'c-1'))?.active_alerts_count,
          c2: (await contractSummary(database, 'c-2'))?.active_alerts_count,
        }),
        { c1: 1, c2: 0 },
      ));

  it('changes nothing when the same events arrive again', () => {
    const history = [
      ...estate,
      ...invoice('inv-feb', 'c-1', 2990, '2026-02-28'),
      ...ticket('t-1', 'c-1'),
      incident('i-1', 'inc-1', 1),
    ];
    return spec
      .given(history)
      .when(
        [
          ...history,
          ...invoice('inv-mar', 'c-1', 8970, '2026-03-31', 'InvoiceMarkedOverdue'),
          ...ticket('t-2', 'c-1', 'TicketClosed', 'TicketReopened'),
          incident('i-1', 'inc-2', 2),
        ],
        { times: 2 },
      )
      .then(summaryOf('c-1'), {
        ...zero,
        services_pending: 1,
        services_active: 1,
        services_suspended: 1,
        services_cancelled: 1,
        open_invoices_count: 2,
        overdue_invoices_count: 1,
        open_invoices_total_cents: 11960,
        next_invoice_due_date: '2026-02-28',
        open_tickets_count: 2,
        active_alerts_count: 2,
      });
  });

  it('adds up many invoices exactly, past what a 32-bit integer holds', () =>
    spec
      .given(estate)
      .when(
        Array.from({ length: 150 }, (_, index) =>
          invoice(
            `inv-${index}`,
            'c-1',
            (index + 1) * 1_000_000,
            '2026-12-31',
            ...(index % 3 === 0 ? ['InvoicePaid'] : []),
          ),
        ).flat(),
      )
      .then(
        async (database) => {
          const row = await contractSummary(database, 'c-1');
          return [row?.open_invoices_count, row?.open_invoices_total_cents];
        },
        // Unpaid: (index + 1) over 1..150 but 1, 4, 7, …, 148, that is 11,325 - 3,725 = 7,600 millions of cents:
        // past 2^31, so the total must come back from a bigint whole.
        [100, 7_600_000_000],
      ));
});

import type { Kysely } from 'kysely';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { emptyTestDatabase, openTestDatabase, projectionSpecification, recordedEvent } from '@app/testing';
import { atPosition } from '../shared/in-log.fixtures.spec';
import { auditLogProjection } from './audit-log.projection';
import { contractAuditEvents, contractStreams, correlationAuditEvents } from './audit-log.queries';
import type { AuditLogDatabase } from './audit-log.table';

const CONTRACT = 'contract-c-1';
const SERVICE = 'service-s-1';
const INVOICE = 'invoice-i-1';

const opened = atPosition(
  recordedEvent(CONTRACT, 0, 'ContractOpened', {
    contractId: 'c-1',
    owner: { userId: 'u-dona', email: 'dona@exemplo.com.br', name: null },
    holderName: 'Maria ME',
    document: { kind: 'cpf', number: '52998224725' },
    phones: ['+5511987654321'],
    paymentMethod: { method: 'boleto' },
    openedAt: '2026-02-28T23:30:00.000Z',
  }),
  1,
);
const accepted = atPosition(
  recordedEvent(CONTRACT, 1, 'InvitationAccepted', {
    contractId: 'c-1',
    invitationId: 'i-1',
    userId: 'u-ana',
    email: 'ana@exemplo.com.br',
    permissions: ['tickets'],
    acceptedAt: '2026-03-01T10:00:00.000Z',
  }),
  2,
);
const permissionsChanged = atPosition(
  recordedEvent(CONTRACT, 2, 'UserPermissionsChanged', {
    contractId: 'c-1',
    userId: 'u-ana',
    permissions: ['billing', 'tickets'],
    changedAt: '2026-03-02T10:00:00.000Z',
  }),
  3,
);
const ordered = atPosition(
  recordedEvent(SERVICE, 0, 'ServiceOrdered', {
    serviceId: 's-1',
    contractId: 'c-1',
    kind: 'shared_hosting',
    plan: 'Plus',
    billingCycle: 'monthly',
    priceCents: 2990,
    parentServiceId: null,
    parentKind: null,
    paymentMethod: null,
    orderedAt: '2026-03-01T12:00:00.000Z',
    firstDueDate: '2026-03-01',
    anchorDay: 1,
  }),
  4,
);
const issued = atPosition(
  recordedEvent(INVOICE, 0, 'InvoiceIssued', {
    invoiceId: 'i-1',
    contractId: 'c-1',
    lines: [
      {
        serviceId: 's-1',
        description: 'Plus',
        periodStart: '2026-03-01',
        periodEnd: '2026-03-31',
        amountCents: 2990,
      },
    ],
    totalCents: 2990,
    dueDate: '2026-03-01',
    issuedAt: '2026-03-01T12:00:00.000Z',
  }),
  5,
);
const paid = atPosition(
  recordedEvent(INVOICE, 1, 'InvoicePaid', {
    invoiceId: 'i-1',
    transactionId: 'tx-1',
    amountCents: 2990,
    method: 'boleto',
    paidAt: '2026-03-01T13:00:00.000Z',
    wasOverdue: false,
  }),
  6,
);
const suspended = atPosition(
  recordedEvent(SERVICE, 1, 'ServiceSuspended', {
    serviceId: 's-1',
    reason: 'abuse',
    invoiceId: null,
    note: 'spam',
    suspendedAt: '2026-03-05T12:00:00.000Z',
    suspendedOn: '2026-03-05',
  }),
  7,
);

describe('audit-log projection', () => {
  let connection: DatabaseConnection;
  const spec = projectionSpecification(auditLogProjection, () => connection.db as Kysely<AuditLogDatabase>);
  const changesOf = async (db: Kysely<AuditLogDatabase>, type: string) =>
    (await contractAuditEvents(db, 'c-1', { types: [type] }, { limit: 10 })).map((row) => row.changes);

  // Migrated once for the file; each test starts from the emptied tables a fresh schema would have.
  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
  });
  beforeEach(() => emptyTestDatabase(connection.db));
  afterAll(() => connection.close());

  it('records who changed a permission, from what to what', () =>
    spec
      .given([opened, accepted])
      .when([permissionsChanged])
      .then(
        (db) => changesOf(db, 'UserPermissionsChanged'),
        [[{ path: 'users.u-ana.permissions', before: ['tickets'], after: ['billing', 'tickets'] }]],
      ));

  it('records a suspension with its reason, on a stream whose later events do not name the contract', () =>
    spec
      .given([opened, ordered])
      .when([suspended])
      .then(
        (db) => changesOf(db, 'ServiceSuspended'),
        [
          [
            { path: 'firstPaymentReceived', before: false, after: null },
            { path: 'scheduledCancellation', before: null, after: null },
            { path: 'status', before: 'pending', after: 'suspended' },
            {
              path: 'suspension',
              before: null,
              after: {
                reason: 'abuse',
                invoiceId: null,
                note: 'spam',
                suspendedAt: '2026-03-05T12:00:00.000Z',
                suspendedOn: '2026-03-05',
              },
            },
          ].filter((change) => change.before !== change.after),
        ],
      ));

  it('records a payment on the invoice', () =>
    spec
      .given([opened, issued])
      .when([paid])
      .then(
        async (db) => (await changesOf(db, 'InvoicePaid'))[0]?.find((change) => change.path === 'status'),
        { path: 'status', before: 'open', after: 'paid' },
      ));

  it('keeps the contract history in log order across streams, and a replayed batch changes nothing', () =>
    spec
      .given([opened, accepted, permissionsChanged, ordered, issued])
      .when([paid, suspended], { times: 2 })
      .then(
        async (db) => ({
          history: (await contractAuditEvents(db, 'c-1', {}, { limit: 50 })).map((row) => [
            row.stream_name,
            row.revision,
            row.type,
          ]),
          streams: (await contractStreams(db, 'c-1')).map((row) => [row.stream_name, Number(row.revision)]),
          correlated: (await correlationAuditEvents(db, 'c', { categories: ['invoice'] }, { limit: 50 }))
            .length,
          filtered: (
            await contractAuditEvents(
              db,
              'c-1',
              { categories: ['service'], from: new Date('2026-01-01T00:00:00.000Z') },
              { limit: 50 },
            )
          ).map((row) => row.type),
        }),
        {
          history: [
            [CONTRACT, 0, 'ContractOpened'],
            [CONTRACT, 1, 'InvitationAccepted'],
            [CONTRACT, 2, 'UserPermissionsChanged'],
            [SERVICE, 0, 'ServiceOrdered'],
            [INVOICE, 0, 'InvoiceIssued'],
            [INVOICE, 1, 'InvoicePaid'],
            [SERVICE, 1, 'ServiceSuspended'],
          ],
          streams: [
            [CONTRACT, 2],
            [SERVICE, 1],
            [INVOICE, 1],
          ],
          correlated: 2,
          filtered: ['ServiceOrdered', 'ServiceSuspended'],
        },
      ));
});

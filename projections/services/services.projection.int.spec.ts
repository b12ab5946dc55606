import type { Kysely } from 'kysely';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { emptyTestDatabase, openTestDatabase, projectionSpecification, recordedEvent } from '@app/testing';
import { servicesProjection } from './services.projection';
import { servicesOfContract } from './services.queries';
import type { ServicesDatabase } from './services.table';

const STREAM = 'service-s-1';
const ordered = recordedEvent(STREAM, 0, 'ServiceOrdered', {
  serviceId: 's-1',
  contractId: 'c-1',
  kind: 'shared_hosting',
  plan: 'Plano M',
  billingCycle: 'monthly',
  priceCents: 2990,
  parentServiceId: null,
  parentKind: null,
  paymentMethod: null,
  orderedAt: '2026-01-31T15:00:00.000Z',
  firstDueDate: '2026-01-31',
  anchorDay: 31,
});
const provisioned = recordedEvent(STREAM, 1, 'ServiceProvisioned', {
  serviceId: 's-1',
  instanceId: 'i-9',
  provisionedAt: '2026-01-31T16:00:00.000Z',
});
const paid = recordedEvent(STREAM, 2, 'ServiceInvoicePaid', {
  serviceId: 's-1',
  invoiceId: 'inv-1',
  paidAt: '2026-01-31T17:00:00.000Z',
  previousDueDate: '2026-01-31',
  nextDueDate: '2026-02-28',
});
const activated = recordedEvent(STREAM, 3, 'ServiceActivated', {
  serviceId: 's-1',
  activatedAt: '2026-01-31T17:00:00.000Z',
});
const suspended = recordedEvent(STREAM, 4, 'ServiceSuspended', {
  serviceId: 's-1',
  reason: 'non_payment',
  invoiceId: 'inv-2',
  note: null,
  suspendedAt: '2026-03-10T03:00:00.000Z',
  suspendedOn: '2026-03-10',
});

describe('the services read model', () => {
  let connection: DatabaseConnection;
  const db = () => connection.db as Kysely<ServicesDatabase>;
  const spec = projectionSpecification(servicesProjection, db);
  const rows = (database: Kysely<ServicesDatabase>) =>
    servicesOfContract(database, 'c-1', { limit: 50 }).then((found) =>
      found.map(({ status, next_due_date, instance_id, suspension_reason, revision }) => ({
        status,
        next_due_date,
        instance_id,
        suspension_reason,
        revision: Number(revision),
      })),
    );

  // Migrated once for the file; each test starts from the emptied tables a fresh schema would have.
  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
  });
  beforeEach(() => emptyTestDatabase(connection.db));
  afterAll(() => connection.close());

  it('shows an ordered service as pending until it is paid and provisioned', () =>
    spec
      .given([])
      .when([ordered])
      .then(rows, [
        {
          status: 'pending',
          next_due_date: '2026-01-31',
          instance_id: null,
          suspension_reason: null,
          revision: 0,
        },
      ]));

  it('follows it to active, with its instance and next due date at the month end', () =>
    spec
      .given([ordered])
      .when([provisioned, paid, activated])
      .then(rows, [
        {
          status: 'active',
          next_due_date: '2026-02-28',
          instance_id: 'i-9',
          suspension_reason: null,
          revision: 3,
        },
      ]));

  it('changes nothing when the same events arrive again', () =>
    spec
      .given([ordered, provisioned, paid, activated])
      .when([paid, activated, suspended], { times: 2 })
      .then(rows, [
        {
          status: 'suspended',
          next_due_date: '2026-02-28',
          instance_id: 'i-9',
          suspension_reason: 'non_payment',
          revision: 4,
        },
      ]));
});

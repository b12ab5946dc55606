import type { Kysely } from 'kysely';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { emptyTestDatabase, openTestDatabase, projectionSpecification, recordedEvent } from '@app/testing';
import { atPosition, inLog } from '../shared/in-log.fixtures.spec';
import { alertsProjection } from './alerts.projection';
import { alertsOfContract } from './alerts.queries';
import type { AlertsDatabase } from './alerts.table';

const ordered = (serviceId: string, contractId: string) =>
  recordedEvent(`service-${serviceId}`, 0, 'ServiceOrdered', {
    serviceId,
    contractId,
    kind: 'shared_hosting',
    plan: 'Plano M',
    billingCycle: 'monthly',
    priceCents: 2990,
    parentServiceId: null,
    parentKind: null,
    paymentMethod: null,
    orderedAt: '2026-02-01T12:00:00.000Z',
    firstDueDate: '2026-02-01',
    anchorDay: 1,
  });
const provisioned = (serviceId: string, instanceId: string) =>
  recordedEvent(`service-${serviceId}`, 1, 'ServiceProvisioned', {
    serviceId,
    instanceId,
    provisionedAt: '2026-02-01T13:00:00.000Z',
  });
const registered = (instanceId: string) =>
  recordedEvent(`instance-${instanceId}`, 0, 'InstanceRegistered', {
    instanceId,
    name: `srv-${instanceId}`,
    kind: 'shared',
    datacenter: 'São Paulo',
    at: '2026-01-01T12:00:00.000Z',
  });
const incidentOn = (instanceId: string, incidentId: string, revision = 1) =>
  recordedEvent(`instance-${instanceId}`, revision, 'IncidentOpened', {
    instanceId,
    incidentId,
    title: 'Lentidão',
    impact: 'degraded',
    at: '2026-03-01T12:00:00.000Z',
  });
const updated = recordedEvent('instance-i-1', 2, 'IncidentUpdated', {
  instanceId: 'i-1',
  incidentId: 'inc-1',
  title: 'Servidor fora do ar',
  message: 'O servidor parou de responder',
  impact: 'outage',
  at: '2026-03-01T12:30:00.000Z',
});
const resolved = recordedEvent('instance-i-1', 3, 'IncidentResolved', {
  instanceId: 'i-1',
  incidentId: 'inc-1',
  title: 'Servidor fora do ar',
  at: '2026-03-01T14:00:00.000Z',
});
const cancelled = (serviceId: string) =>
  recordedEvent(`service-${serviceId}`, 2, 'ServiceCancelled', {
    serviceId,
    when: 'immediate',
    reason: 'não preciso mais',
    protocolNumber: 'P-1',
    requestedAt: '2026-03-01T13:00:00.000Z',
    cancelledAt: '2026-03-01T13:00:00.000Z',
  });
const terminated = (serviceId: string) =>
  recordedEvent(`service-${serviceId}`, 2, 'ServiceTerminated', {
    serviceId,
    cause: 'retention_elapsed',
    terminatedAt: '2026-03-01T13:00:00.000Z',
  });

// c-1 runs s-1 and s-2 on i-1 and s-3 on i-2; c-2 runs s-4 on i-1; c-3's s-5 is not provisioned yet.
const estate = inLog([
  registered('i-1'),
  registered('i-2'),
  registered('i-3'),
  ordered('s-1', 'c-1'),
  provisioned('s-1', 'i-1'),
  ordered('s-2', 'c-1'),
  provisioned('s-2', 'i-1'),
  ordered('s-3', 'c-1'),
  provisioned('s-3', 'i-2'),
  ordered('s-4', 'c-2'),
  provisioned('s-4', 'i-1'),
  ordered('s-5', 'c-3'),
]);
const onOne = atPosition(incidentOn('i-1', 'inc-1'), 100);
const onThree = atPosition(incidentOn('i-3', 'inc-3'), 101);

describe('the alerts read model', () => {
  let connection: DatabaseConnection;
  const db = () => connection.db as Kysely<AlertsDatabase>;
  const spec = projectionSpecification(alertsProjection, db);
  const alerts = (contractId: string) => (database: Kysely<AlertsDatabase>) =>
    alertsOfContract(database, contractId, { limit: 50 }).then((rows) =>
      rows.map((row) => ({
        incident: row.incident_id,
        instance: row.instance_name,
        services: row.service_ids,
      })),
    );
  const everyContract = async (database: Kysely<AlertsDatabase>) => ({
    c1: await alerts('c-1')(database),
    c2: await alerts('c-2')(database),
    c3: await alerts('c-3')(database),
  });

  // Migrated once for the file; each test starts from the emptied tables a fresh schema would have.
  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
  });
  beforeEach(() => emptyTestDatabase(connection.db));
  afterAll(() => connection.close());

  it('alerts every contract with a service on the instance, once per incident, and no other', () =>
    spec
      .given(estate)
      .when([onOne, onThree])
      .then(everyContract, {
        c1: [{ incident: 'inc-1', instance: 'srv-i-1', services: ['s-1', 's-2'] }],
        c2: [{ incident: 'inc-1', instance: 'srv-i-1', services: ['s-4'] }],
        c3: [],
      }));

  it('alerts a contract whose service is provisioned on the instance while the incident is open', () =>
    spec
      .given([...estate, onOne])
      .when([provisioned('s-5', 'i-1')])
      .then(alerts('c-3'), [{ incident: 'inc-1', instance: 'srv-i-1', services: ['s-5'] }]));

  it('shows the latest news and impact of the incident', () =>
    spec
      .given([...estate, onOne])
      .when([updated])
      .then(
        (database) =>
          alertsOfContract(database, 'c-1', { limit: 50 }).then((rows) =>
            rows.map((row) => [row.title, row.impact, row.latest_message, row.updated_at]),
          ),
        [
          [
            'Servidor fora do ar',
            'outage',
            'O servidor parou de responder',
            new Date('2026-03-01T12:30:00.000Z'),
          ],
        ],
      ));

  it('keeps alerting a contract while one of its services on the instance is live', () =>
    spec
      .given([...estate, onOne])
      .when([cancelled('s-1')])
      .then(alerts('c-1'), [{ incident: 'inc-1', instance: 'srv-i-1', services: ['s-2'] }]));

  it('stops alerting a contract once its services on the instance are cancelled or terminated', () =>
    spec
      .given([...estate, onOne])
      .when([cancelled('s-1'), terminated('s-2')])
      .then(everyContract, {
        c1: [],
        c2: [{ incident: 'inc-1', instance: 'srv-i-1', services: ['s-4'] }],
        c3: [],
      }));

  it('drops the alert when the incident is resolved', () =>
    spec
      .given([...estate, onOne, updated])
      .when([resolved])
      .then(everyContract, { c1: [], c2: [], c3: [] }));

  it('changes nothing when the same events arrive again', () =>
    spec
      .given([...estate, onOne])
      .when([...estate, onOne, onThree, updated, cancelled('s-1')], { times: 2 })
      .then(everyContract, {
        c1: [{ incident: 'inc-1', instance: 'srv-i-1', services: ['s-2'] }],
        c2: [{ incident: 'inc-1', instance: 'srv-i-1', services: ['s-4'] }],
        c3: [],
      }));

  it("pages through a contract's many alerts newest first", () => {
    const incidents = inLog(
      Array.from({ length: 12 }, (_, index) =>
        incidentOn(index % 2 === 0 ? 'i-1' : 'i-2', `inc-${String(index).padStart(2, '0')}`, index + 1),
      ),
      100,
    );
    return spec
      .given([...estate, ...incidents])
      .when([])
      .then(
        async (database) => {
          const first = await alertsOfContract(database, 'c-1', { limit: 5 });
          const rest = await alertsOfContract(database, 'c-1', {
            limit: 50,
            after: first.at(-1)?.opened_position,
          });
          return {
            first: first.map((row) => row.incident_id),
            rest: rest.map((row) => row.incident_id),
            ofContractTwo: (await alertsOfContract(database, 'c-2', { limit: 50 })).length,
          };
        },
        {
          first: ['inc-11', 'inc-10', 'inc-09', 'inc-08', 'inc-07'],
          rest: ['inc-06', 'inc-05', 'inc-04', 'inc-03', 'inc-02', 'inc-01', 'inc-00'],
          ofContractTwo: 6,
        },
      );
  });
});

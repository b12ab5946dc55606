import type { Kysely } from 'kysely';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { emptyTestDatabase, openTestDatabase, projectionSpecification, recordedEvent } from '@app/testing';
import { inLog } from '../shared/in-log.fixtures.spec';
import { instanceStatusProjection } from './instance-status.projection';
import { instanceStatusById, instanceStatuses, resolvedIncidents } from './instance-status.queries';
import type { InstanceStatusDatabase } from './instance-status.table';

const registered = (instanceId: string, name = 'br-sp-01') =>
  recordedEvent(`instance-${instanceId}`, 0, 'InstanceRegistered', {
    instanceId,
    name,
    kind: 'shared',
    datacenter: 'São Paulo',
    at: '2026-01-10T12:00:00.000Z',
  });
const STREAM = 'instance-i-1';
const slow = recordedEvent(STREAM, 1, 'IncidentOpened', {
  instanceId: 'i-1',
  incidentId: 'inc-1',
  title: 'Lentidão no MySQL',
  impact: 'degraded',
  at: '2026-02-28T12:00:00.000Z',
});
const down = recordedEvent(STREAM, 2, 'IncidentOpened', {
  instanceId: 'i-1',
  incidentId: 'inc-2',
  title: 'Servidor fora do ar',
  impact: 'outage',
  at: '2026-02-28T20:00:00.000Z',
});
const downEased = recordedEvent(STREAM, 3, 'IncidentUpdated', {
  instanceId: 'i-1',
  incidentId: 'inc-2',
  title: 'Servidor fora do ar',
  message: 'Serviço restabelecido parcialmente',
  impact: 'degraded',
  at: '2026-02-28T22:00:00.000Z',
});
// One millisecond before midnight in Sao Paulo (UTC-3): still the last day of February there.
const downResolved = recordedEvent(STREAM, 4, 'IncidentResolved', {
  instanceId: 'i-1',
  incidentId: 'inc-2',
  title: 'Servidor fora do ar',
  at: '2026-03-01T02:59:59.999Z',
});
// Midnight in Sao Paulo: March 1st.
const slowResolved = recordedEvent(STREAM, 5, 'IncidentResolved', {
  instanceId: 'i-1',
  incidentId: 'inc-1',
  title: 'Lentidão no MySQL',
  at: '2026-03-01T03:00:00.000Z',
});

describe('the instance status read model', () => {
  let connection: DatabaseConnection;
  const db = () => connection.db as Kysely<InstanceStatusDatabase>;
  const spec = projectionSpecification(instanceStatusProjection, db);
  const statusPage = (database: Kysely<InstanceStatusDatabase>) =>
    instanceStatuses(database, { limit: 50 }).then((rows) =>
      rows.map((row) => ({
        id: row.instance_id,
        name: row.name,
        status: row.status,
        incidents: row.open_incidents.map((incident) => [
          incident.incidentId,
          incident.impact,
          incident.worstImpact,
        ]),
      })),
    );
  const history = (database: Kysely<InstanceStatusDatabase>, resolvedOnOrAfter?: string) =>
    resolvedIncidents(database, { limit: 50 }, { resolvedOnOrAfter }).then((rows) =>
      rows.map((row) => ({
        id: row.incident_id,
        instance: row.instance_name,
        impact: row.impact,
        worst: row.worst_impact,
        openedOn: row.opened_on,
        resolvedOn: row.resolved_on,
        updates: row.updates.length,
      })),
    );

  // Migrated once for the file; each test starts from the emptied tables a fresh schema would have.
  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
  });
  beforeEach(() => emptyTestDatabase(connection.db));
  afterAll(() => connection.close());

  it('shows a registered instance as operational, without incidents', () =>
    spec
      .given([])
      .when([registered('i-1')])
      .then(statusPage, [{ id: 'i-1', name: 'br-sp-01', status: 'operational', incidents: [] }]));

  it('is degraded with a degraded incident open and in outage while any open one is an outage', () =>
    spec
      .given([registered('i-1')])
      .when([slow, down])
      .then(statusPage, [
        {
          id: 'i-1',
          name: 'br-sp-01',
          status: 'outage',
          incidents: [
            ['inc-1', 'degraded', 'degraded'],
            ['inc-2', 'outage', 'outage'],
          ],
        },
      ]));

  it('follows an update that lowers the impact, keeping the news and the worst impact', () =>
    spec
      .given([registered('i-1'), slow, down])
      .when([downEased])
      .then(
        async (database) => {
          const row = await instanceStatusById(database, 'i-1');
          return { status: row?.status, eased: row?.open_incidents[1] };
        },
        {
          status: 'degraded',
          eased: {
            incidentId: 'inc-2',
            title: 'Servidor fora do ar',
            impact: 'degraded',
            worstImpact: 'outage',
            openedAt: '2026-02-28T20:00:00.000Z',
            updates: [
              {
                message: 'Serviço restabelecido parcialmente',
                impact: 'degraded',
                at: '2026-02-28T22:00:00.000Z',
              },
            ],
          },
        },
      ));

  it('moves resolved incidents to the history, dated by Sao Paulo days either side of midnight', () =>
    spec
      .given([registered('i-1'), slow, down, downEased])
      .when([downResolved, slowResolved])
      .then(
        async (database) => ({
          page: await statusPage(database),
          history: await history(database),
          sinceMarch: (await history(database, '2026-03-01')).map((row) => row.id),
        }),
        {
          page: [{ id: 'i-1', name: 'br-sp-01', status: 'operational', incidents: [] }],
          history: [
            {
              id: 'inc-1',
              instance: 'br-sp-01',
              impact: 'degraded',
              worst: 'degraded',
              openedOn: '2026-02-28',
              resolvedOn: '2026-03-01',
              updates: 0,
            },
            {
              id: 'inc-2',
              instance: 'br-sp-01',
              impact: 'degraded',
              worst: 'outage',
              openedOn: '2026-02-28',
              resolvedOn: '2026-02-28',
              updates: 1,
            },
          ],
          sinceMarch: ['inc-1'],
        },
      ));

  it('changes nothing when the same events arrive again', () =>
    spec
      .given([registered('i-1'), slow, down])
      .when([registered('i-1'), slow, down, downEased, downResolved], { times: 2 })
      .then(
        async (database) => ({
          page: await statusPage(database),
          history: (await history(database)).map((row) => row.id),
        }),
        {
          page: [
            {
              id: 'i-1',
              name: 'br-sp-01',
              status: 'degraded',
              incidents: [['inc-1', 'degraded', 'degraded']],
            },
          ],
          history: ['inc-2'],
        },
      ));

  it('pages through many instances, each with its own status', () => {
    const instances = Array.from({ length: 30 }, (_, index) =>
      registered(`i-${String(index).padStart(2, '0')}`, `srv-${index}`),
    );
    const outages = instances
      .filter((_, index) => index % 7 === 0)
      .map((event) => {
        const { instanceId } = event.data as { instanceId: string };
        return recordedEvent(event.streamName, 1, 'IncidentOpened', {
          instanceId,
          incidentId: `inc-${instanceId}`,
          title: 'Fora do ar',
          impact: 'outage',
          at: '2026-03-01T12:00:00.000Z',
        });
      });
    return spec
      .given(inLog([...instances, ...outages]))
      .when([])
      .then(
        async (database) => {
          const first = await instanceStatuses(database, { limit: 20 });
          const rest = await instanceStatuses(database, { limit: 20, after: first.at(-1)?.instance_id });
          return [...first, ...rest].filter((row) => row.status === 'outage').map((row) => row.instance_id);
        },
        ['i-00', 'i-07', 'i-14', 'i-21', 'i-28'],
      );
  });
});

import type { Kysely } from 'kysely';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { emptyTestDatabase, openTestDatabase, projectionSpecification, recordedEvent } from '@app/testing';
import { inLog } from '../shared/in-log.fixtures.spec';
import { callbacksProjection } from './callbacks.projection';
import { callbacksOfContract } from './callbacks.queries';
import type { CallbackRow, CallbacksDatabase } from './callbacks.table';

const requested = (callbackId: string, contractId = 'c-1', topic: string | null = 'Boleto em atraso') =>
  recordedEvent(`callback-${callbackId}`, 0, 'CallbackRequested', {
    callbackId,
    contractId,
    userId: 'u-ana',
    phone: '+5511987654321',
    topic,
    at: '2026-03-01T11:00:00.000Z',
  });
const reference = { callbackId: 'cb-1', contractId: 'c-1', userId: 'u-ana' };
const completed = recordedEvent('callback-cb-1', 1, 'CallbackCompleted', {
  ...reference,
  staffId: 'st-1',
  note: 'Segunda via enviada',
  at: '2026-03-01T12:00:00.000Z',
});
const unreachable = recordedEvent('callback-cb-1', 1, 'CallbackMarkedUnreachable', {
  ...reference,
  staffId: 'st-1',
  attempts: 3,
  note: null,
  at: '2026-03-01T15:00:00.000Z',
});
const cancelled = recordedEvent('callback-cb-1', 1, 'CallbackCancelled', {
  ...reference,
  at: '2026-03-01T11:30:00.000Z',
});

const shown = (row: CallbackRow) => ({
  id: row.callback_id,
  status: row.status,
  phone: row.phone,
  topic: row.topic,
  closedAt: row.closed_at,
  attempts: row.attempts,
  note: row.note,
});

describe('the call-backs read model', () => {
  let connection: DatabaseConnection;
  const db = () => connection.db as Kysely<CallbacksDatabase>;
  const spec = projectionSpecification(callbacksProjection, db);
  const callbacks = (database: Kysely<CallbacksDatabase>) =>
    callbacksOfContract(database, 'c-1', { limit: 50 }).then((rows) => rows.map(shown));

  // Migrated once for the file; each test starts from the emptied tables a fresh schema would have.
  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
  });
  beforeEach(() => emptyTestDatabase(connection.db));
  afterAll(() => connection.close());

  it('shows a request as requested, with its phone and topic', () =>
    spec
      .given([])
      .when([requested('cb-1')])
      .then(callbacks, [
        {
          id: 'cb-1',
          status: 'requested',
          phone: '+5511987654321',
          topic: 'Boleto em atraso',
          closedAt: null,
          attempts: null,
          note: null,
        },
      ]));

  it.each([
    [
      'completed',
      completed,
      {
        status: 'completed',
        closedAt: new Date('2026-03-01T12:00:00.000Z'),
        attempts: null,
        note: 'Segunda via enviada',
      },
    ],
    [
      'unreachable after 3 calls',
      unreachable,
      { status: 'unreachable', closedAt: new Date('2026-03-01T15:00:00.000Z'), attempts: 3, note: null },
    ],
    [
      'cancelled by the requester',
      cancelled,
      { status: 'cancelled', closedAt: new Date('2026-03-01T11:30:00.000Z'), attempts: null, note: null },
    ],
  ])('records the outcome: %s', (_outcome, outcome, expected) =>
    spec
      .given([requested('cb-1')])
      .when([outcome])
      .then(
        (database) =>
          callbacks(database).then((rows) =>
            rows.map(({ status, closedAt, attempts, note }) => ({ status, closedAt, attempts, note })),
          ),
        [expected],
      ),
  );

  it('changes nothing when the same events arrive again', () =>
    spec
      .given([requested('cb-1')])
      .when([requested('cb-1'), unreachable], { times: 2 })
      .then(
        (database) =>
          callbacks(database).then((rows) => rows.map((row) => [row.id, row.status, row.attempts])),
        [['cb-1', 'unreachable', 3]],
      ));

  it("pages through a contract's requests newest first, without another contract's", () => {
    const history = inLog(
      Array.from({ length: 12 }, (_, index) =>
        requested(`cb-${String(index).padStart(2, '0')}`, index % 4 === 3 ? 'c-2' : 'c-1', null),
      ),
    );
    return spec
      .given(history)
      .when([])
      .then(
        async (database) => {
          const first = await callbacksOfContract(database, 'c-1', { limit: 5 });
          const rest = await callbacksOfContract(database, 'c-1', {
            limit: 5,
            after: first.at(-1)?.requested_position,
          });
          return [first.map((row) => row.callback_id), rest.map((row) => row.callback_id)];
        },
        [
          ['cb-10', 'cb-09', 'cb-08', 'cb-06', 'cb-05'],
          ['cb-04', 'cb-02', 'cb-01', 'cb-00'],
        ],
      );
  });
});

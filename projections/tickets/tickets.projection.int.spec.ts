import type { Kysely } from 'kysely';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { emptyTestDatabase, openTestDatabase, projectionSpecification, recordedEvent } from '@app/testing';
import { inLog } from '../shared/in-log.fixtures.spec';
import { ticketsProjection } from './tickets.projection';
import { ticketById, ticketsOfContract } from './tickets.queries';
import type { TicketsDatabase } from './tickets.table';

const reference = (ticketId: string, contractId = 'c-1') => ({
  ticketId,
  contractId,
  subject: 'Site fora do ar',
  department: 'technical',
  openedBy: { userId: 'u-ana', email: 'ana@exemplo.com.br' },
});
const opened = (ticketId: string, contractId = 'c-1') =>
  recordedEvent(`ticket-${ticketId}`, 0, 'TicketOpened', {
    ...reference(ticketId, contractId),
    priority: 'high',
    serviceId: 's-1',
    message: 'Meu site não abre desde as 8h.',
    at: '2026-03-01T11:00:00.000Z',
  });
const STREAM = 'ticket-t-1';
const staffReply = (revision: number, messageId: string, at: string) =>
  recordedEvent(STREAM, revision, 'TicketReplied', {
    ...reference('t-1'),
    messageId,
    author: { kind: 'staff', staffId: 'st-1' },
    message: `Resposta ${messageId}`,
    at,
  });
const customerReply = (revision: number, messageId: string, at: string) =>
  recordedEvent(STREAM, revision, 'TicketReplied', {
    ...reference('t-1'),
    messageId,
    author: { kind: 'customer', userId: 'u-ana' },
    message: `Réplica ${messageId}`,
    at,
  });
const answered = staffReply(1, 'm-1', '2026-03-01T12:00:00.000Z');
const onHold = recordedEvent(STREAM, 2, 'TicketStatusChanged', {
  ...reference('t-1'),
  status: 'on_hold',
  staffId: 'st-1',
  at: '2026-03-01T13:00:00.000Z',
});
const closed = recordedEvent(STREAM, 3, 'TicketClosed', {
  ...reference('t-1'),
  by: 'system',
  reason: 'idle',
  at: '2026-03-04T12:00:00.000Z',
});
const reopened = recordedEvent(STREAM, 4, 'TicketReopened', {
  ...reference('t-1'),
  by: { kind: 'customer', userId: 'u-ana' },
  at: '2026-03-05T09:00:00.000Z',
});
const reopeningReply = customerReply(5, 'm-2', '2026-03-05T09:00:00.000Z');

describe('the tickets read model', () => {
  let connection: DatabaseConnection;
  const db = () => connection.db as Kysely<TicketsDatabase>;
  const spec = projectionSpecification(ticketsProjection, db);
  const ticket = async (database: Kysely<TicketsDatabase>) => {
    const found = await ticketById(database, 't-1');
    return (
      found && {
        status: found.status,
        messageCount: found.message_count,
        updatedAt: found.updated_at,
        closedAt: found.closed_at,
        messages: found.messages.map((message) => [
          message.message_id,
          message.author_kind,
          message.author_id,
        ]),
      }
    );
  };

  // Migrated once for the file; each test starts from the emptied tables a fresh schema would have.
  beforeAll(async () => {
    connection = await openTestDatabase();
    await migrateToLatest(connection.db);
  });
  beforeEach(() => emptyTestDatabase(connection.db));
  afterAll(() => connection.close());

  it('shows an opened ticket as open, its first message by the opener under the ticket id', () =>
    spec
      .given([])
      .when([opened('t-1')])
      .then(
        async (database) => ({
          list: (await ticketsOfContract(database, 'c-1', { limit: 50 })).map((row) => ({
            id: row.ticket_id,
            subject: row.subject,
            department: row.department,
            priority: row.priority,
            serviceId: row.service_id,
            status: row.status,
          })),
          body: (await ticketById(database, 't-1'))?.messages.map((message) => message.body),
          ticket: await ticket(database),
        }),
        {
          list: [
            {
              id: 't-1',
              subject: 'Site fora do ar',
              department: 'technical',
              priority: 'high',
              serviceId: 's-1',
              status: 'open',
            },
          ],
          body: ['Meu site não abre desde as 8h.'],
          ticket: {
            status: 'open',
            messageCount: 1,
            updatedAt: new Date('2026-03-01T11:00:00.000Z'),
            closedAt: null,
            messages: [['t-1', 'customer', 'u-ana']],
          },
        },
      ));

  it('is answered by a staff reply and waits on hold when staff say so', () =>
    spec
      .given([opened('t-1')])
      .when([answered, onHold])
      .then(ticket, {
        status: 'on_hold',
        messageCount: 2,
        updatedAt: new Date('2026-03-01T13:00:00.000Z'),
        closedAt: null,
        messages: [
          ['t-1', 'customer', 'u-ana'],
          ['m-1', 'staff', 'st-1'],
        ],
      }));

  it('closes, and a customer reply reopens it as customer_reply with the reply last', () =>
    spec
      .given([opened('t-1'), answered, onHold, closed])
      .when([reopened, reopeningReply])
      .then(ticket, {
        status: 'customer_reply',
        messageCount: 3,
        updatedAt: new Date('2026-03-05T09:00:00.000Z'),
        closedAt: null,
        messages: [
          ['t-1', 'customer', 'u-ana'],
          ['m-1', 'staff', 'st-1'],
          ['m-2', 'customer', 'u-ana'],
        ],
      }));

  it('records when it was closed', () =>
    spec
      .given([opened('t-1'), answered])
      .when([closed])
      .then(async (database) => (await ticket(database))?.closedAt, new Date('2026-03-04T12:00:00.000Z')));

  it('changes nothing when the same events arrive again', () =>
    spec
      .given([opened('t-1'), answered])
      .when([opened('t-1'), answered, onHold, closed, reopened, reopeningReply], { times: 2 })
      .then(ticket, {
        status: 'customer_reply',
        messageCount: 3,
        updatedAt: new Date('2026-03-05T09:00:00.000Z'),
        closedAt: null,
        messages: [
          ['t-1', 'customer', 'u-ana'],
          ['m-1', 'staff', 'st-1'],
          ['m-2', 'customer', 'u-ana'],
        ],
      }));

  it('keeps a long conversation in the order it was written', () => {
    const replies = Array.from({ length: 40 }, (_, index) =>
      (index % 2 === 0 ? staffReply : customerReply)(
        index + 1,
        `m-${String(40 - index).padStart(2, '0')}`,
        new Date(Date.parse('2026-03-01T12:00:00.000Z') + index * 60_000).toISOString(),
      ),
    );
    return spec
      .given([opened('t-1')])
      .when(replies)
      .then(
        async (database) => {
          const found = await ticketById(database, 't-1');
          return { status: found?.status, ids: found?.messages.map((message) => message.message_id) };
        },
        {
          status: 'customer_reply',
          ids: ['t-1', ...replies.map((reply) => (reply.data as { messageId: string }).messageId)],
        },
      );
  });

  it("pages through a contract's tickets newest first, without another contract's", () => {
    const history = inLog(
      Array.from({ length: 25 }, (_, index) =>
        opened(`t-${String(index).padStart(2, '0')}`, index % 5 === 0 ? 'c-2' : 'c-1'),
      ),
    );
    const ofContractOne = history
      .map((event) => event.data as { ticketId: string; contractId: string })
      .filter((data) => data.contractId === 'c-1')
      .map((data) => data.ticketId)
      .reverse();
    return spec
      .given(history)
      .when([])
      .then(
        async (database) => {
          const first = await ticketsOfContract(database, 'c-1', { limit: 15 });
          const second = await ticketsOfContract(database, 'c-1', {
            limit: 15,
            after: first.at(-1)?.opened_position,
          });
          return [first.map((row) => row.ticket_id), second.map((row) => row.ticket_id)];
        },
        [ofContractOne.slice(0, 15), ofContractOne.slice(15)],
      );
  });

  it('answers nothing for a ticket it has not seen', () =>
    spec
      .given([opened('t-1')])
      .when([])
      .then((database) => ticketById(database, 't-404'), undefined));
});

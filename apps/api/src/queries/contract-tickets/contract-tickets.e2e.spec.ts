import { startApiTestApp, type ApiTestApp } from '../../testing/api-test-app';
import { sendCommand } from '../../testing/command-calls';
import { givenContract, type TestContract } from '../../testing/contract-fixture';
import {
  PERMISSION_HOLDERS_AND_STAFF,
  readEveryPage,
  sendQuery,
  statusByCaller,
  type Page,
} from '../../testing/query-calls';

type Answer = { id: string; position: string };
type Ticket = { ticketId: string; status: string; subject: string; messageCount: number };
type TicketWithMessages = Ticket & {
  messages: { messageId: string; author: { kind: string; id: string }; message: string }[];
};

const ticketBody = (subject: string) => ({
  subject,
  department: 'technical',
  priority: 'medium',
  message: 'O site não abre desde hoje cedo.',
});

describe('ticket queries over HTTP, with the worker running', () => {
  let api: ApiTestApp;
  let contract: TestContract;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { RUN_WORKER: 'true' } });
    contract = await givenContract(api, 'tickets');
  });
  afterAll(() => api.close());

  const openTicket = async (subject: string, on: TestContract = contract) =>
    (
      await sendCommand(
        api,
        { method: 'post', path: `/contracts/${on.contractId}/tickets`, body: ticketBody(subject) },
        { token: on.tokens.owner },
      ).expect(201)
    ).body as Answer;

  it('reads its own writes every time: a ticket opened, answered and replied to shows at once', async () => {
    for (let round = 0; round < 5; round++) {
      const opened = await openTicket(`Site fora do ar ${round}`);
      const list = (
        await sendQuery(api, `/contracts/${contract.contractId}/tickets`, {
          token: contract.tokens.owner,
          minPosition: opened.position,
        }).expect(200)
      ).body as Page<Ticket>;
      expect(list.items[0]).toMatchObject({ ticketId: opened.id, status: 'open', messageCount: 1 });

      const answered = (
        await sendCommand(
          api,
          {
            method: 'post',
            path: `/tickets/${opened.id}/messages`,
            body: { message: 'Estamos verificando.' },
          },
          { token: contract.tokens.support },
        ).expect(200)
      ).body as Answer;
      const ticket = (
        await sendQuery(api, `/tickets/${opened.id}`, {
          token: contract.tokens.memberWithPermission,
          minPosition: answered.position,
        }).expect(200)
      ).body as TicketWithMessages;
      expect(ticket).toMatchObject({ ticketId: opened.id, status: 'answered', messageCount: 2 });
      expect(ticket.messages.map((message) => [message.author.kind, message.message])).toEqual([
        ['customer', 'O site não abre desde hoje cedo.'],
        ['staff', 'Estamos verificando.'],
      ]);
    }
  });

  it('lets members with `tickets` and staff read, refuses other members, hides the contract from strangers', async () => {
    const opened = await openTicket('Matriz de acesso');
    expect(
      await statusByCaller(api, contract, `/contracts/${contract.contractId}/tickets`, opened.position),
    ).toEqual(PERMISSION_HOLDERS_AND_STAFF);
    expect(await statusByCaller(api, contract, `/tickets/${opened.id}`, opened.position)).toEqual(
      PERMISSION_HOLDERS_AND_STAFF,
    );
    const token = contract.tokens.nonMember;
    const hidden = await sendQuery(api, `/contracts/${contract.contractId}/tickets`, { token }).expect(404);
    const missing = await sendQuery(api, '/contracts/no-such-contract/tickets', { token }).expect(404);
    expect(hidden.body).toEqual(missing.body);
    const hiddenTicket = await sendQuery(api, `/tickets/${opened.id}`, { token }).expect(404);
    const missingTicket = await sendQuery(api, '/tickets/no-such-ticket', { token }).expect(404);
    expect(hiddenTicket.body).toEqual(missingTicket.body);
    await sendQuery(api, '/tickets/no-such-ticket', { token: contract.tokens.support }).expect(404);
  });

  it('pages the tickets newest first, each once, and a ticket opened meanwhile does not shift the pages', async () => {
    const other = await givenContract(api, 'tickets');
    const subjects = Array.from({ length: 7 }, (_, n) => `Pedido ${n}`);
    let last: Answer | undefined;
    for (const subject of subjects) last = await openTicket(subject, other);
    const path = `/contracts/${other.contractId}/tickets`;
    const first = (
      await sendQuery(api, `${path}?limit=3`, {
        token: other.tokens.owner,
        minPosition: last!.position,
      }).expect(200)
    ).body as Page<Ticket>;
    expect(first.items.map((ticket) => ticket.subject)).toEqual(['Pedido 6', 'Pedido 5', 'Pedido 4']);
    const newer = await openTicket('Aberto entre as páginas', other);
    const rest = await readEveryPage<Ticket>(api, path, {
      cursor: first.nextCursor,
      token: other.tokens.owner,
      minPosition: newer.position,
      limit: 3,
    });
    expect(rest.items.map((ticket) => ticket.subject)).toEqual([
      'Pedido 3',
      'Pedido 2',
      'Pedido 1',
      'Pedido 0',
    ]);
  });

  it('refuses a bad cursor, limit or X-Min-Position with a 400 naming it, before reading anything', async () => {
    const path = `/contracts/${contract.contractId}/tickets`;
    const token = contract.tokens.owner;
    for (const [query, field] of [
      ['?cursor=garbage!', 'cursor'],
      ['?limit=0', 'limit'],
      ['?limit=501', 'limit'],
    ] as const) {
      const refused = await sendQuery(api, `${path}${query}`, { token }).expect(400);
      expect(refused.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ field })],
      });
    }
    const position = await sendQuery(api, path, { token, minPosition: 'yesterday' }).expect(400);
    expect(position.body).toMatchObject({ details: [expect.objectContaining({ field: 'X-Min-Position' })] });
  });
});

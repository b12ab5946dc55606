import type { Kysely } from 'kysely';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import { DATABASE } from '@app/platform';
import type { NotificationsDatabase } from '@app/projections';
import type { DatabaseConnection } from '@app/read-store';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';

type Answer = { id: string; position: string };
type Item = {
  id: string;
  kind: string;
  contractId: string;
  recipient: string;
  recipientReasons: string[];
  subject: string;
  status: string;
  channel: string | null;
  attempts: number;
};
type Page = { items: Item[]; nextCursor: string | null };

describe('the notification outbox over HTTP, with the worker sending to the log', () => {
  let api: ApiTestApp;
  let owner: string;
  let support: string;
  let admin: string;
  let contractId: string;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { RUN_WORKER: 'true', NOTIFICATION_POLL_MS: '20' } });
    // What the worker's Nest loggers write goes to the app's pino lines, as in main.ts.
    api.app.useLogger(api.app.get(Logger));
    owner = await api.tokenFor({ userId: 'n-owner', email: 'dona@exemplo.com.br' });
    support = await api.tokenFor({
      userId: 'n-support',
      email: 'suporte@provedor.com.br',
      roles: ['support'],
    });
    admin = await api.tokenFor({ userId: 'n-admin', email: 'admin@provedor.com.br', roles: ['admin'] });
    const post = (path: string, body: object) =>
      request(api.server).post(path).set('Authorization', `Bearer ${owner}`).send(body).expect(201);
    contractId = (
      (
        await post('/contracts', {
          holderName: 'Maria ME',
          document: '529.982.247-25',
          phones: ['+5511987654321'],
        })
      ).body as Answer
    ).id;
    await post(`/contracts/${contractId}/contacts`, {
      name: 'TI',
      email: 'ti@exemplo.com.br',
      categories: ['technical'],
    });
    await post(`/contracts/${contractId}/contacts`, {
      name: 'Financeiro',
      email: 'financeiro@exemplo.com.br',
      categories: ['billing'],
    });
    await post(`/contracts/${contractId}/tickets`, {
      subject: 'Site fora do ar',
      department: 'technical',
      priority: 'high',
      message: 'Minha senha é hunter2 e o site não abre.',
    });
    // The worker projects the ticket and sends its messages to the log: wait until all of them are sent.
    for (let tries = 0; tries < 500; tries++) {
      const page = (await list(support).expect(200)).body as Page;
      if (page.items.length === 2 && page.items.every((item) => item.status === 'sent')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(() => api.close());

  const list = (token: string, query = '') =>
    request(api.server).get(`/admin/notifications${query}`).set('Authorization', `Bearer ${token}`);

  it("lists a ticket's notifications to the owner (also its opener) and the technical contact, sent to the log", async () => {
    const page = (await list(support).expect(200)).body as Page;
    expect(
      page.items.map((item) => [item.recipient, item.recipientReasons, item.status, item.channel, item.kind]),
    ).toEqual([
      ['ti@exemplo.com.br', ['contact:technical'], 'sent', 'log', 'ticket_opened'],
      ['dona@exemplo.com.br', ['opener', 'owner'], 'sent', 'log', 'ticket_opened'],
    ]);
    expect(page.items[0]?.subject).toMatch(/^Chamado #[\w-]+ aberto: Site fora do ar$/);
    expect(page.nextCursor).toBeNull();
  });

  it('logged each message with a masked address, never its text', () => {
    const logged = api
      .logLines()
      .filter((line) => line.msg === 'Notification written to the log (SMTP_URL is not set)');
    expect(logged.map((line) => line.to)).toEqual(['d***@exemplo.com.br', 't***@exemplo.com.br']);
    expect(JSON.stringify(api.logLines())).not.toMatch(/hunter2|Recebemos o/);
  });

  it('filters by status and contract, and pages with a cursor', async () => {
    expect(((await list(support, '?status=failed').expect(200)).body as Page).items).toEqual([]);
    expect(
      ((await list(admin, `?status=sent&contractId=${contractId}`).expect(200)).body as Page).items,
    ).toHaveLength(2);
    const first = (await list(support, '?limit=1').expect(200)).body as Page;
    expect(first.items).toHaveLength(1);
    const second = (await list(support, `?limit=1&cursor=${first.nextCursor}`).expect(200)).body as Page;
    expect(second.items.map((item) => item.recipient)).toEqual(['dona@exemplo.com.br']);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses an unknown status or parameter, naming it', async () => {
    const fieldsOf = (response: { body: unknown }) =>
      (response.body as { details: { field: string }[] }).details.map((detail) => detail.field);
    // A parameter the list does not take is named first, whatever the others hold.
    expect(fieldsOf(await list(support, '?status=lost&colour=red').expect(400))).toEqual(['colour']);
    expect(fieldsOf(await list(support, '?status=lost&contractId=c-1').expect(400))).toEqual(['status']);
  });

  it('refuses a cursor it did not give out', async () => {
    const forged = Buffer.from(JSON.stringify({ k: 'not-a-position' }), 'utf8').toString('base64url');
    const response = await list(support, `?cursor=${forged}`).expect(400);
    expect((response.body as { details: { field: string }[] }).details.map((detail) => detail.field)).toEqual(
      ['cursor'],
    );
  });

  it('is for staff: a customer, even the owner, gets 403', async () => {
    await list(owner).expect(403);
  });

  it('shows one notification with its text, and queues a failed one again', async () => {
    const [item] = ((await list(support).expect(200)).body as Page).items;
    const one = await request(api.server)
      .get(`/admin/notifications/${item!.id}`)
      .set('Authorization', `Bearer ${support}`)
      .expect(200);
    expect((one.body as { body: string }).body).toContain('Site fora do ar');

    const retry = () =>
      request(api.server)
        .post(`/admin/notifications/${item!.id}/retry`)
        .set('Authorization', `Bearer ${support}`);
    expect(((await retry().expect(409)).body as { code: string }).code).toBe('NOTIFICATION_NOT_FAILED');

    const db = api.app.get<DatabaseConnection>(DATABASE).db as Kysely<NotificationsDatabase>;
    await db
      .updateTable('notification_outbox')
      .set({ status: 'failed', attempts: 8, last_error: '550 Caixa inexistente' })
      .where('message_id', '=', item!.id)
      .execute();
    const queued = (await retry().expect(200)).body as Item;
    expect([queued.status, queued.attempts]).toEqual(['queued', 0]);

    await request(api.server)
      .get('/admin/notifications/no-such-id')
      .set('Authorization', `Bearer ${support}`)
      .expect(404);
  });
});

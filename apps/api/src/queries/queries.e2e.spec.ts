import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';

type Answer = { id: string; position: string };
type Page<Item> = { items: Item[]; nextCursor: string | null };

describe('query endpoints over HTTP, with the worker running', () => {
  let api: ApiTestApp;
  let owner: string;
  let stranger: string;
  let support: string;

  beforeAll(async () => {
    api = await startApiTestApp({ env: { RUN_WORKER: 'true' } });
    owner = await api.tokenFor({ userId: 'q-owner', email: 'dona@exemplo.com.br' });
    stranger = await api.tokenFor({ userId: 'q-stranger', email: 'x@outro.com' });
    support = await api.tokenFor({
      userId: 'q-support',
      email: 'suporte@provedor.com.br',
      roles: ['support'],
    });
  });
  afterAll(() => api.close());

  const post = (token: string, path: string, body: object) =>
    request(api.server).post(path).set('Authorization', `Bearer ${token}`).send(body);
  const get = (token: string, path: string, position?: string) => {
    const call = request(api.server).get(path).set('Authorization', `Bearer ${token}`);
    return position ? call.set('X-Min-Position', position) : call;
  };
  const openContract = async (token: string, holderName = 'Maria ME') =>
    (
      await post(token, '/contracts', {
        holderName,
        document: '529.982.247-25',
        phones: ['+5511987654321'],
      }).expect(201)
    ).body as Answer;

  it("reads its own write: a contract just opened is among the caller's contracts", async () => {
    const opened = await openContract(owner);
    const page = (await get(owner, '/me/contracts', opened.position).expect(200)).body as Page<{
      contractId: string;
      isOwner: boolean;
      permissions: string[];
    }>;
    expect(page.items).toContainEqual(expect.objectContaining({ contractId: opened.id, isOwner: true }));
    expect(page.items.find((item) => item.contractId === opened.id)?.permissions).toHaveLength(13);
  });

  it('pages a long list with a stable cursor, and refuses a cursor or limit it did not give', async () => {
    const token = await api.tokenFor({ userId: 'q-many', email: 'muitos@exemplo.com.br' });
    let last: Answer | undefined;
    for (let n = 0; n < 7; n++) last = await openContract(token, `Contrato ${n}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const path: string = `/me/contracts?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await get(token, path, last!.position).expect(200)).body as Page<{ contractId: string }>;
      seen.push(...page.items.map((item) => item.contractId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    await get(token, '/me/contracts?cursor=garbage!').expect(400);
    await get(token, '/me/contracts?limit=501').expect(400);
  });

  it('lists users and contacts to those who may see them, and hides the contract from strangers', async () => {
    const opened = await openContract(owner);
    const contact = (
      await post(owner, `/contracts/${opened.id}/contacts`, {
        name: 'Financeiro',
        email: 'fin@exemplo.com.br',
        categories: ['billing'],
      }).expect(201)
    ).body as Answer;
    const users = (await get(owner, `/contracts/${opened.id}/users`, contact.position).expect(200))
      .body as Page<{
      userId: string;
      isOwner: boolean;
    }>;
    expect(users.items).toEqual([expect.objectContaining({ userId: 'q-owner', isOwner: true })]);
    const contacts = (await get(support, `/contracts/${opened.id}/contacts`, contact.position).expect(200))
      .body as Page<{ email: string }>;
    expect(contacts.items.map((item) => item.email)).toEqual(['fin@exemplo.com.br']);
    const hidden = await get(stranger, `/contracts/${opened.id}/users`).expect(404);
    const missing = await get(stranger, '/contracts/no-such-contract/users').expect(404);
    expect(hidden.body).toEqual(missing.body);
  });

  it('shows an ordered service, and one service alone, as pending', async () => {
    const opened = await openContract(owner);
    const ordered = (
      await post(owner, `/contracts/${opened.id}/services`, {
        kind: 'shared_hosting',
        plan: 'Plano M',
        billingCycle: 'monthly',
        priceCents: 2990,
      }).expect(201)
    ).body as Answer;
    const list = (await get(owner, `/contracts/${opened.id}/services`, ordered.position).expect(200))
      .body as Page<{
      serviceId: string;
      status: string;
    }>;
    expect(list.items).toEqual([expect.objectContaining({ serviceId: ordered.id, status: 'pending' })]);
    const one = (await get(owner, `/services/${ordered.id}`).expect(200)).body as {
      kind: string;
      priceCents: number;
    };
    expect(one).toMatchObject({ kind: 'shared_hosting', priceCents: 2990 });
    const hidden = await get(stranger, `/services/${ordered.id}`).expect(404);
    const missing = await get(stranger, '/services/no-such-service').expect(404);
    expect(hidden.body).toEqual(missing.body);
  });

  it('refuses an X-Min-Position that is not a position, and answers 503 for one the log never reached', async () => {
    await get(owner, '/me/contracts', 'not-a-position').expect(400);
    const stale = await get(owner, '/me/contracts', 'ffffffffffffffff-ffffffffffffffff').expect(503);
    expect((stale.body as { code: string }).code).toBe('STALE_READ_MODEL');
  });
});

import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { refusalOf, sendCommand } from '../testing/command-calls';
import { givenContract, type TestContract } from '../testing/contract-fixture';
import { sendQuery } from '../testing/query-calls';

type Answer = { id: string; position: string };

describe('queries while no worker builds the read models', () => {
  let api: ApiTestApp;
  let contract: TestContract;

  beforeAll(async () => {
    api = await startApiTestApp();
    contract = await givenContract(api, 'tickets');
  });
  afterAll(() => api.close());

  it('answers 503 STALE_READ_MODEL for a contract or a ticket that exists but is not in its read model yet', async () => {
    const summary = await sendQuery(api, `/contracts/${contract.contractId}`, {
      token: contract.tokens.owner,
    });
    expect(summary.status).toBe(503);
    expect(refusalOf(summary)).toMatchObject({ code: 'STALE_READ_MODEL' });
    expect(summary.headers['retry-after']).toBe('1');

    const opened = (
      await sendCommand(
        api,
        {
          method: 'post',
          path: `/contracts/${contract.contractId}/tickets`,
          body: { subject: 'Lento', department: 'technical', priority: 'low', message: 'Site lento.' },
        },
        { token: contract.tokens.owner },
      ).expect(201)
    ).body as Answer;
    const ticket = await sendQuery(api, `/tickets/${opened.id}`, { token: contract.tokens.owner });
    expect(ticket.status).toBe(503);
    expect(refusalOf(ticket)).toMatchObject({ code: 'STALE_READ_MODEL' });
  });

  it('still tells a stranger nothing: 404 as for what does not exist', async () => {
    const token = contract.tokens.nonMember;
    const hidden = await sendQuery(api, `/contracts/${contract.contractId}`, { token }).expect(404);
    expect(hidden.body).toEqual(
      (await sendQuery(api, '/contracts/no-such-contract', { token }).expect(404)).body,
    );
  });

  it('waits up to 5 s for X-Min-Position, then answers 503 STALE_READ_MODEL', async () => {
    const opened = (
      await sendCommand(
        api,
        {
          method: 'post',
          path: `/contracts/${contract.contractId}/callbacks`,
          body: { phone: '+5511987654321' },
        },
        { token: contract.tokens.owner },
      ).expect(201)
    ).body as Answer;
    const stale = await sendQuery(api, `/contracts/${contract.contractId}/callbacks`, {
      token: contract.tokens.owner,
      minPosition: opened.position,
    }).expect(503);
    expect(refusalOf(stale)).toMatchObject({ code: 'STALE_READ_MODEL' });
  });
});

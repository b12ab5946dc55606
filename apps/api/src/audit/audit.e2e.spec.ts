import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { handleCommand, type WritePath } from '@app/command-handling';
import {
  contractDecider,
  contractStream,
  invoiceDecider,
  invoiceStream,
  serviceDecider,
  serviceStream,
  type Actor,
  type Command,
  type Decider,
  type Message,
} from '@app/domain';
import type { EventStore, Position } from '@app/event-store';
import { EVENT_STORE, WRITE_PATH, type Caller } from '@app/platform';
import type { UnsentCommand } from '../commands/command-sender';
import { startApiTestApp, type ApiTestApp } from '../testing/api-test-app';
import { givenInvoice } from '../testing/billing-fixture';
import { CALLER_KINDS, givenContract } from '../testing/contract-fixture';

type Change = { path: string; before: unknown; after: unknown };
type AuditEvent = {
  position: string;
  stream: string;
  category: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: Actor; occurredAt: string; correlationId: string; causationId: string; command: string };
  changes: Change[];
};
type Page = { items: AuditEvent[]; nextCursor: string | null };

const textBody = (
  response: NodeJS.ReadableStream & { setEncoding: (e: string) => void },
  done: (error: Error | null, body: string) => void,
) => {
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => (text += chunk));
  response.on('end', () => done(null, text));
};

/** Parses RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
const parseCsv = (text: string): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += char;
  }
  return records;
};

describe('audit endpoints over HTTP, with the worker running', () => {
  let api: ApiTestApp;
  let writePath: WritePath;
  let auditor: string;
  const admin: Caller = { userId: 'audit-admin', email: 'admin@provedor.com.br', roles: ['admin'] };

  beforeAll(async () => {
    // The test writes what a payment causes itself, in the payment's correlation: no reactor may add to it.
    api = await startApiTestApp({ env: { RUN_WORKER: 'true', RUN_AUTOMATION: 'false' } });
    writePath = api.app.get<WritePath>(WRITE_PATH);
    auditor = await api.tokenFor({
      userId: 'auditora',
      email: 'auditoria@provedor.com.br',
      roles: ['auditor'],
    });
  });
  afterAll(() => api.close());

  const call = (token: string, path: string, position?: string) => {
    const pending = request(api.server).get(path).set('Authorization', `Bearer ${token}`);
    return position ? pending.set('X-Min-Position', position) : pending;
  };
  /** A read that waits for the audit log to reach `position`, however busy the machine (each try waits 5 s). */
  const get = async (token: string, path: string, position?: string, accept?: string) => {
    for (let attempt = 1; ; attempt++) {
      const pending = call(token, path, position);
      const response = await (accept
        ? pending
            .set('Accept', accept)
            .buffer(true)
            .parse(textBody as never)
        : pending);
      if (response.status !== 503 || attempt === 12) return response;
    }
  };
  const asUser = (caller: Caller): Actor => ({ kind: 'user', ...caller });

  /** Sends a command through the write path as if at `now`, in the request or process `correlationId`. */
  const sendAt = async <C extends Command, E extends Message, S>(
    now: string,
    decider: Decider<C, E, S>,
    stream: string,
    command: UnsentCommand<C>,
    actor: Actor,
    correlation: Readonly<{ correlationId?: string; causationId?: string }> = {},
  ): Promise<Position> => {
    const result = await handleCommand(writePath, decider, stream, {
      command: { ...command, metadata: { now, actor } } as C,
      commandId: randomUUID(),
      ...correlation,
    });
    return result.position!;
  };

  const expectStatus = async (pending: ReturnType<typeof get>, status: number) => {
    const response = await pending;
    expect({
      status: response.status,
      body: response.status === status ? 'as expected' : (response.body as unknown),
    }).toEqual({ status, body: 'as expected' });
    return response;
  };

  const allPages = async (path: string, position: string, limit: number): Promise<AuditEvent[][]> => {
    const pages: AuditEvent[][] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const url: string = `${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await expectStatus(get(auditor, url, position), 200)).body as Page;
      pages.push(page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return pages;
  };

  it('lets only auditors read: every other role and customers get 403', async () => {
    const contract = await givenContract(api, 'billing');
    const both = await api.tokenFor({
      userId: 'ambos',
      email: 'ambos@provedor.com.br',
      roles: ['analyst', 'auditor'],
    });
    for (const path of [
      `/audit/contracts/${contract.contractId}/events`,
      `/audit/contracts/${contract.contractId}/state`,
      `/audit/correlations/${randomUUID()}`,
    ]) {
      for (const kind of CALLER_KINDS) {
        const response = await get(contract.tokens[kind], path);
        if (kind === 'auditor') expect(response.status).not.toBe(403);
        else
          expect({ kind, status: response.status, code: (response.body as { code?: string }).code }).toEqual({
            kind,
            status: 403,
            code: 'FORBIDDEN',
          });
      }
      expect((await get(both, path)).status).not.toBe(403);
      await request(api.server).get(path).expect(401);
    }
    // Reading the audit log gives no right to act: an auditor's command is refused and appends nothing.
    const store = api.app.get<EventStore>(EVENT_STORE);
    const before = (await store.readStream(contractStream(contract.contractId))).length;
    const refused = await request(api.server)
      .post(`/contracts/${contract.contractId}/contacts`)
      .set('Authorization', `Bearer ${contract.tokens.auditor}`)
      .send({ name: 'Auditoria', email: 'auditoria@provedor.com.br', categories: ['billing'] });
    expect([403, 404]).toContain(refused.status);
    expect(await store.readStream(contractStream(contract.contractId))).toHaveLength(before);
  });

  it("reads a contract's whole history across the streams created after it, with who changed a permission from what to what", async () => {
    const contract = await givenContract(api, 'tickets');
    const { owner } = contract;
    const member = contract.callers.memberWithPermission;
    const ownerToken = contract.tokens.owner;
    await request(api.server)
      .put(`/contracts/${contract.contractId}/users/${member.userId}/permissions`)
      .set('Authorization', `Bearer ${ownerToken}`)
      .send({ permissions: ['tickets', 'billing'] })
      .expect(200);
    const service = await request(api.server)
      .post(`/contracts/${contract.contractId}/services`)
      .set('Authorization', `Bearer ${ownerToken}`)
      .send({ kind: 'shared_hosting', plan: 'Plus', billingCycle: 'monthly', priceCents: 2990 })
      .expect(201);
    await request(api.server)
      .post(`/contracts/${contract.contractId}/tickets`)
      .set('Authorization', `Bearer ${ownerToken}`)
      .send({ subject: 'Site fora', department: 'technical', priority: 'high', message: 'Não abre.' })
      .expect(201);
    await request(api.server)
      .post(`/contracts/${contract.contractId}/callbacks`)
      .set('Authorization', `Bearer ${ownerToken}`)
      .send({ phone: '+5511987654321' })
      .expect(201);
    // Invoices are issued by the system, through the write path.
    const invoiceId = await givenInvoice(api, contract, { serviceId: (service.body as { id: string }).id });
    const position = (await api.app.get<EventStore>(EVENT_STORE).readStream(invoiceStream(invoiceId))).at(
      -1,
    )!.position;

    const events = (await allPages(`/audit/contracts/${contract.contractId}/events`, position, 500)).flat();
    const categories = new Set(events.map((event) => event.category));
    expect([...categories].sort()).toEqual(['callback', 'contract', 'invoice', 'service', 'ticket']);
    expect(events.map((event) => event.position)).toEqual(events.map((event) => event.position).sort());
    expect(events.some((event) => event.stream === serviceStream((service.body as { id: string }).id))).toBe(
      true,
    );

    const changed = events.filter((event) => event.type === 'UserPermissionsChanged');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.metadata.actor).toEqual(
      expect.objectContaining({ kind: 'user', userId: owner.userId }),
    );
    expect(changed[0]!.metadata).toEqual(
      expect.objectContaining({
        command: 'ChangeUserPermissions',
        correlationId: expect.any(String) as unknown,
      }),
    );
    expect(changed[0]!.changes).toEqual([
      { path: `users.${member.userId}.permissions`, before: ['tickets'], after: ['billing', 'tickets'] },
    ]);

    const filtered = (query: string) =>
      get(auditor, `/audit/contracts/${contract.contractId}/events?${query}`, position);
    const onlyServices = (await expectStatus(filtered('category=service,invoice'), 200)).body as Page;
    expect(new Set(onlyServices.items.map((event) => event.category))).toEqual(
      new Set(['service', 'invoice']),
    );
    const byType = (await expectStatus(filtered('type=UserPermissionsChanged'), 200)).body as Page;
    expect(byType.items.map((event) => event.position)).toEqual([changed[0]!.position]);
    for (const actor of [owner.userId, owner.email]) {
      const byActor = (await expectStatus(filtered(`actor=${encodeURIComponent(actor)}`), 200)).body as Page;
      expect(byActor.items.length).toBeGreaterThan(0);
      expect(
        byActor.items.every((event) => (event.metadata.actor as { userId?: string }).userId === owner.userId),
      ).toBe(true);
    }
    const at = changed[0]!.metadata.occurredAt;
    const before = (await expectStatus(filtered(`to=${at}`), 200)).body as Page;
    const after = (await expectStatus(filtered(`from=${at}`), 200)).body as Page;
    expect(before.items.length + after.items.length).toBe(events.length);
    expect(before.items.every((event) => event.metadata.occurredAt < at)).toBe(true);
    expect(after.items.every((event) => event.metadata.occurredAt >= at)).toBe(true);
    expect(after.items.map((event) => event.position)).toContain(changed[0]!.position);

    for (const bad of [
      'category=instance',
      'type=NoSuchEvent',
      'from=yesterday',
      `from=${at}&to=${at}`,
      'limit=0',
      'sort=asc',
    ]) {
      const refused = await expectStatus(filtered(bad), 400);
      expect((refused.body as { code?: string }).code).toBe('VALIDATION_FAILED');
    }
    await expectStatus(get(auditor, `/audit/contracts/${randomUUID()}/events`), 404);
  });

  it('pages through thousands of events in log order, and streams them all as CSV with correct quoting', async () => {
    const contract = await givenContract(api, 'tickets');
    const member = contract.callers.memberWithPermission;
    const store = api.app.get<EventStore>(EVENT_STORE);
    const EXTRA = 3_000;
    let position = '';
    for (let start = 0; start < EXTRA; start += 500) {
      const events = Array.from({ length: 500 }, (_, index) => ({
        id: randomUUID(),
        type: 'UserPermissionsChanged',
        data: {
          contractId: contract.contractId,
          userId: member.userId,
          permissions: (start + index) % 2 === 0 ? ['tickets', 'billing'] : ['tickets'],
          changedAt: new Date().toISOString(),
        },
        metadata: {
          actor: asUser(contract.owner),
          occurredAt: new Date().toISOString(),
          correlationId: `bulk-${start}`,
          causationId: `bulk-${start}`,
          commandName: 'ChangeUserPermissions',
          schemaVersion: 1,
        },
      }));
      position = (await store.append(contractStream(contract.contractId), events, 'any')).position;
    }
    const subject = 'Cobrança "dupla", de novo\nsegunda linha';
    const ticket = await request(api.server)
      .post(`/contracts/${contract.contractId}/tickets`)
      .set('Authorization', `Bearer ${contract.tokens.owner}`)
      .send({ subject, department: 'billing', priority: 'low', message: 'Veio duas vezes.' })
      .expect(201);
    position = (ticket.body as { position: string }).position;

    const pages = await allPages(`/audit/contracts/${contract.contractId}/events`, position, 500);
    const events = pages.flat();
    expect(pages.length).toBe(Math.ceil(events.length / 500));
    expect(events.length).toBeGreaterThan(EXTRA);
    const positions = events.map((event) => event.position);
    expect(new Set(positions).size).toBe(positions.length);
    expect(positions).toEqual([...positions].sort());
    const bulk = events.filter((event) => event.metadata.correlationId.startsWith('bulk-'));
    expect(bulk).toHaveLength(EXTRA);
    expect(bulk[1]!.changes).toEqual([
      { path: `users.${member.userId}.permissions`, before: ['tickets', 'billing'], after: ['tickets'] },
    ]);

    const csv = await get(auditor, `/audit/contracts/${contract.contractId}/events`, position, 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['transfer-encoding']).toBe('chunked');
    const records = parseCsv(csv.body as string);
    const [header, ...rows] = records;
    expect(header).toEqual(
      expect.arrayContaining(['position', 'occurredAt', 'stream', 'type', 'actor', 'changes', 'data']),
    );
    expect(rows.map((row) => row[0])).toEqual(positions);
    const opened = rows.find((row) => row[4] === 'TicketOpened')!;
    expect((JSON.parse(opened[header!.indexOf('data')]!) as { subject: string }).subject).toBe(subject);
    expect(opened[header!.indexOf('changes')]).toContain('\n');
  });

  it('rebuilds the state at instants on the boundaries: Sao Paulo midnight and the end of a month', async () => {
    const contractId = randomUUID();
    const owner: Caller = {
      userId: `dona-${contractId.slice(0, 8)}`,
      email: 'dona@exemplo.com.br',
      roles: ['customer'],
    };
    const serviceId = randomUUID();
    const invoiceId = randomUUID();
    await sendAt(
      '2026-01-31T10:00:00.000Z',
      contractDecider,
      contractStream(contractId),
      {
        type: 'OpenContract',
        data: {
          contractId,
          holderName: 'Loja da Dona',
          document: '529.982.247-25',
          phones: ['+5511987654321'],
        },
      },
      asUser(owner),
    );
    await sendAt(
      '2026-01-31T20:00:00.000Z',
      serviceDecider,
      serviceStream(serviceId),
      {
        type: 'OrderService',
        data: {
          serviceId,
          contractId,
          kind: 'shared_hosting',
          plan: 'Plus',
          billingCycle: 'monthly',
          priceCents: 2990,
        },
      },
      asUser(owner),
    );
    await sendAt(
      '2026-01-31T20:00:00.000Z',
      invoiceDecider,
      invoiceStream(invoiceId),
      {
        type: 'IssueInvoice',
        data: {
          invoiceId,
          contractId,
          dueDate: '2026-01-31',
          lines: [
            {
              serviceId,
              description: 'Plus (mensal)',
              periodStart: '2026-01-31',
              periodEnd: '2026-02-27',
              amountCents: 2990,
            },
          ],
        },
      },
      { kind: 'system', rule: 'issue-invoices' },
    );
    // 2026-02-01T03:00:00Z is midnight in Sao Paulo (UTC-3).
    await sendAt(
      '2026-02-01T03:00:00.000Z',
      contractDecider,
      contractStream(contractId),
      {
        type: 'InviteUser',
        data: { invitationId: 'inv-1', email: 'socio@exemplo.com.br', permissions: ['billing'] },
      },
      asUser(owner),
    );
    await sendAt(
      '2026-02-01T03:00:00.000Z',
      serviceDecider,
      serviceStream(serviceId),
      {
        type: 'ProvisionService',
        data: { instanceId: 'srv-1' },
      },
      asUser(admin),
    );
    await sendAt(
      '2026-02-01T12:00:00.000Z',
      serviceDecider,
      serviceStream(serviceId),
      {
        type: 'RecordInvoicePaid',
        data: { invoiceId, paidAt: '2026-02-01T12:00:00.000Z' },
      },
      { kind: 'system', rule: 'service-follows-payment' },
    );
    const last = await sendAt(
      '2026-02-28T23:59:59.999Z',
      serviceDecider,
      serviceStream(serviceId),
      {
        type: 'SuspendService',
        data: { reason: 'abuse' },
      },
      asUser(admin),
    );

    const stateAt = async (at: string) =>
      (
        await expectStatus(
          get(auditor, `/audit/contracts/${contractId}/state?at=${encodeURIComponent(at)}`, last),
          200,
        )
      ).body as {
        at: string;
        contract: { state: { status: string; invitations: unknown[] } };
        services: { stream: string; state: { status: string; suspension?: { reason: string } } }[];
        invoices: { state: { status: string } }[];
      };
    await expectStatus(
      get(auditor, `/audit/contracts/${contractId}/state?at=2026-01-31T09:59:59.999Z`, last),
      404,
    );

    const beforeMidnight = await stateAt('2026-02-01T02:59:59.999Z');
    expect(beforeMidnight.contract.state.invitations).toEqual([]);
    expect(beforeMidnight.services.map((service) => service.state.status)).toEqual(['pending']);
    expect(beforeMidnight.invoices.map((invoice) => invoice.state.status)).toEqual(['open']);

    const atMidnight = await stateAt('2026-02-01T00:00:00-03:00');
    expect(atMidnight.at).toBe('2026-02-01T03:00:00.000Z');
    expect(atMidnight.contract.state.invitations).toHaveLength(1);
    expect(atMidnight.services.map((service) => service.state.status)).toEqual(['pending']);

    const afterPayment = await stateAt('2026-02-28T23:59:59.998Z');
    expect(afterPayment.services.map((service) => service.state.status)).toEqual(['active']);

    const monthEnd = await stateAt('2026-02-28T23:59:59.999Z');
    expect(monthEnd.services[0]!.state).toEqual(
      expect.objectContaining({
        status: 'suspended',
        suspension: expect.objectContaining({ reason: 'abuse' }) as unknown,
      }),
    );

    const monthEndEvents = (
      await expectStatus(
        get(auditor, `/audit/contracts/${contractId}/events?type=ServiceSuspended`, last),
        200,
      )
    ).body as Page;
    expect(monthEndEvents.items[0]!.changes).toEqual(
      expect.arrayContaining([
        { path: 'status', before: 'active', after: 'suspended' },
        { path: 'suspension', before: null, after: expect.objectContaining({ reason: 'abuse' }) as unknown },
      ]),
    );
    for (const bad of ['at=2026-02-01', 'at=soon', 'when=now']) {
      await expectStatus(get(auditor, `/audit/contracts/${contractId}/state?${bad}`), 400);
    }
  });

  it('follows one correlation id across streams: a payment and what it caused', async () => {
    const contract = await givenContract(api, 'billing');
    const ordered = await request(api.server)
      .post(`/contracts/${contract.contractId}/services`)
      .set('Authorization', `Bearer ${contract.tokens.owner}`)
      .send({ kind: 'shared_hosting', plan: 'Plus', billingCycle: 'monthly', priceCents: 2990 })
      .expect(201);
    const serviceId = (ordered.body as { id: string }).id;
    const invoiceId = await givenInvoice(api, contract, { serviceId, totalCents: 2990 });

    const correlationId = `pay-${randomUUID()}`;
    await request(api.server)
      .post(`/invoices/${invoiceId}/payments`)
      .set('Authorization', `Bearer ${contract.tokens.billing}`)
      .set('X-Correlation-Id', correlationId)
      .send({ transactionId: 'tx-1', amountCents: 2990, method: 'boleto', paidAt: new Date().toISOString() })
      .expect(200);
    const paid = (await api.app.get<EventStore>(EVENT_STORE).readStream(invoiceStream(invoiceId))).at(-1)!;
    expect(paid.type).toBe('InvoicePaid');
    // What a reactor does with it: the service follows the payment, in the payment's correlation.
    const last = await sendAt(
      new Date().toISOString(),
      serviceDecider,
      serviceStream(serviceId),
      {
        type: 'RecordInvoicePaid',
        data: { invoiceId, paidAt: new Date().toISOString() },
      },
      { kind: 'system', rule: 'service-follows-payment' },
      { correlationId, causationId: paid.id },
    );

    const correlated = (await allPages(`/audit/correlations/${correlationId}`, last, 50)).flat();
    expect(correlated.map((event) => [event.stream, event.type])).toEqual([
      [invoiceStream(invoiceId), 'InvoicePaid'],
      [serviceStream(serviceId), 'ServiceInvoicePaid'],
    ]);
    expect(correlated[1]!.metadata.causationId).toBe(paid.id);
    expect(correlated[0]!.changes).toEqual(
      expect.arrayContaining([{ path: 'status', before: 'open', after: 'paid' }]),
    );
    await expectStatus(get(auditor, `/audit/correlations/${randomUUID()}`, last), 404);
    await expectStatus(get(auditor, '/audit/correlations/bad%20id'), 400);
  });
});

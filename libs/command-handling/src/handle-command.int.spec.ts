import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  DomainError,
  contractDecider,
  contractStream,
  invoiceDecider,
  invoiceStream,
  localDate,
  parseCents,
  parseEmail,
  parsePermissions,
  parsePhoneNumber,
  serviceDecider,
  serviceStream,
  type Actor,
  type ContactCategory,
  type ContractCommand,
} from '@app/domain';
import { ConcurrencyError, PostgresEventStore } from '@app/event-store';
import type { DatabaseConnection } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { AggregateCache } from './aggregate-cache';
import { fixedClock } from './clock';
import { handleCommand, loadAggregate, type WritePath } from './handle-command';
import { StreamTurns } from './stream-turns';

const owner = { userId: 'u-owner', email: parseEmail('dona@exemplo.com.br'), name: 'Dona Maria' };
const invitee = { userId: 'u-bruno', email: parseEmail('bruno@exemplo.com.br') };
const asCustomer = (who: { userId: string; email: string }): Actor => ({
  kind: 'user',
  userId: who.userId,
  email: who.email,
  roles: ['customer'],
});
const reactor: Actor = { kind: 'system', rule: 'record-invoice-paid' };
const asAdmin: Actor = { kind: 'user', userId: 'u-admin', email: 'admin@provedor.com.br', roles: ['admin'] };

describe.each([
  ['reading whole streams', () => undefined],
  ['with an aggregate cache', () => new AggregateCache()],
])('the write path: load → decide → append, %s', (_name, makeCache) => {
  let connection: DatabaseConnection;
  let writePath: WritePath;
  const clock = fixedClock('2026-03-10T13:00:00.000Z');

  beforeAll(async () => {
    connection = await openTestDatabase();
    const eventStore = await PostgresEventStore.create(connection.db as Kysely<unknown>, {
      directQuery: connection.query,
    });
    writePath = { eventStore, maxAttempts: 5, cache: makeCache() };
  });

  afterAll(async () => {
    await writePath.eventStore.close();
    await connection.close();
  });

  const openContract = async (contractId: string, commandId: string = randomUUID()) =>
    handleCommand(writePath, contractDecider, contractStream(contractId), {
      commandId,
      command: {
        type: 'OpenContract',
        data: {
          contractId,
          ownerName: owner.name,
          holderName: 'Dona Maria Comércio Ltda',
          document: '11.222.333/0001-81',
          phones: [parsePhoneNumber('+55 (11) 98765-4321')],
          paymentMethod: { method: 'boleto' },
        },
        metadata: { now: clock.now().toISOString(), actor: asCustomer(owner) },
      },
    });

  const addContact = (
    contractId: string,
    n: number,
    commandId: string = randomUUID(),
    path: WritePath = writePath,
    categories: ContactCategory[] = ['billing'],
    sent: Readonly<{ now?: string; actor?: Actor }> = {},
  ) =>
    handleCommand(path, contractDecider, contractStream(contractId), {
      commandId,
      command: {
        type: 'AddContact',
        data: {
          contactId: `contact-${n}`,
          name: `Contato ${n}`,
          email: parseEmail(`contato${n}@exemplo.com.br`),
          categories,
        },
        metadata: { now: sent.now ?? clock.now().toISOString(), actor: sent.actor ?? asCustomer(owner) },
      },
    });

  it('takes a contract from opening to an active, paid and provisioned service', async () => {
    const contractId = randomUUID();
    const serviceId = randomUUID();
    const invoiceId = randomUUID();
    const contract = contractStream(contractId);

    await openContract(contractId);
    const invitationId = randomUUID();
    await handleCommand(writePath, contractDecider, contract, {
      commandId: randomUUID(),
      command: {
        type: 'InviteUser',
        data: {
          invitationId,
          email: invitee.email,
          permissions: parsePermissions(['services.view', 'tickets']),
        },
        metadata: { now: clock.now().toISOString(), actor: asCustomer(owner) },
      },
    });
    const accepted = await handleCommand(writePath, contractDecider, contract, {
      commandId: randomUUID(),
      command: {
        type: 'AcceptInvitation',
        data: { invitationId },
        metadata: { now: clock.now().toISOString(), actor: asCustomer(invitee) },
      },
    });
    expect(accepted.events.map((e) => e.type)).toContain('InvitationAccepted');

    const orderedAt = clock.now().toISOString();
    const ordered = await handleCommand(writePath, serviceDecider, serviceStream(serviceId), {
      commandId: randomUUID(),
      command: {
        type: 'OrderService',
        data: {
          serviceId,
          contractId,
          kind: 'shared_hosting',
          plan: 'Hospedagem I',
          billingCycle: 'monthly',
          priceCents: parseCents(2990, 'priceCents'),
        },
        metadata: { now: orderedAt, actor: asCustomer(owner) },
      },
    });
    expect(ordered.state.status).toBe('pending');

    await handleCommand(writePath, invoiceDecider, invoiceStream(invoiceId), {
      commandId: `issue:${serviceId}:first`,
      command: {
        type: 'IssueInvoice',
        data: {
          invoiceId,
          contractId,
          lines: [
            {
              serviceId,
              description: 'Hospedagem I (mensal)',
              periodStart: localDate(orderedAt),
              periodEnd: '2026-04-09',
              amountCents: parseCents(2990, 'amountCents'),
            },
          ],
          dueDate: localDate(orderedAt),
        },
        metadata: { now: orderedAt, actor: reactor },
      },
    });
    const paid = await handleCommand(writePath, invoiceDecider, invoiceStream(invoiceId), {
      commandId: 'gateway:tx-1',
      command: {
        type: 'RecordPayment',
        data: {
          transactionId: 'tx-1',
          amountCents: parseCents(2990, 'amountCents'),
          method: 'boleto',
          paidAt: clock.now().toISOString(),
        },
        metadata: { now: clock.now().toISOString(), actor: reactor },
      },
    });
    expect(paid.state.status).toBe('paid');
    await handleCommand(writePath, serviceDecider, serviceStream(serviceId), {
      commandId: `record-paid:${serviceId}:${invoiceId}`,
      command: {
        type: 'RecordInvoicePaid',
        data: { invoiceId, paidAt: clock.now().toISOString() },
        metadata: { now: clock.now().toISOString(), actor: reactor },
      },
    });
    const provisioned = await handleCommand(writePath, serviceDecider, serviceStream(serviceId), {
      commandId: randomUUID(),
      command: {
        type: 'ProvisionService',
        data: { instanceId: 'instance-1' },
        metadata: { now: clock.now().toISOString(), actor: asAdmin },
      },
    });
    expect(provisioned.events.map((e) => e.type)).toEqual(['ServiceProvisioned', 'ServiceActivated']);

    const service = await loadAggregate(writePath.eventStore, serviceDecider, serviceStream(serviceId));
    expect(service.state.status).toBe('active');
    const contractNow = await loadAggregate(writePath.eventStore, contractDecider, contract);
    expect(contractNow.events.map((e) => e.type)).toEqual([
      'ContractOpened',
      'UserInvited',
      'InvitationAccepted',
    ]);
  });

  it("keeps metadata on every event: the command's actor and time, correlation, causation, command", async () => {
    const contractId = randomUUID();
    await handleCommand(writePath, contractDecider, contractStream(contractId), {
      commandId: 'cmd-open-1',
      correlationId: 'request-7',
      causationId: 'request-7',
      command: {
        type: 'OpenContract',
        data: {
          contractId,
          ownerName: owner.name,
          holderName: 'Dona Maria',
          document: '529.982.247-25',
          phones: [],
          paymentMethod: { method: 'boleto' },
        },
        metadata: { now: '2026-03-01T08:00:00.000Z', actor: asCustomer(owner) },
      },
    });
    const [opened] = await writePath.eventStore.readStream(contractStream(contractId));
    expect(opened?.metadata).toMatchObject({
      actor: { kind: 'user', userId: 'u-owner', email: owner.email, roles: ['customer'] },
      occurredAt: '2026-03-01T08:00:00.000Z',
      correlationId: 'request-7',
      causationId: 'request-7',
      commandName: 'OpenContract',
      commandId: 'cmd-open-1',
      schemaVersion: 1,
    });
  });

  it('answers a repeated command with its first result and appends nothing', async () => {
    const contractId = randomUUID();
    await openContract(contractId);
    const first = await addContact(contractId, 1, 'add-contact-1');
    const again = await addContact(contractId, 1, 'add-contact-1');
    expect(again.replayed).toBe(true);
    expect(again.position).toBe(first.position);
    expect(again.events).toEqual(first.events);
    expect(await writePath.eventStore.readStream(contractStream(contractId))).toHaveLength(2);
  });

  it('answers an honest retry sent a second later as a replay: the request digest leaves out its time', async () => {
    const contractId = randomUUID();
    await openContract(contractId);
    const first = await addContact(contractId, 1, 'retried', writePath, ['billing'], {
      now: '2026-03-10T13:00:00.000Z',
    });
    const retry = await addContact(contractId, 1, 'retried', writePath, ['billing'], {
      now: '2026-03-10T13:00:01.000Z',
    });
    expect(retry).toMatchObject({ replayed: true, position: first.position });
    const events = await writePath.eventStore.readStream(contractStream(contractId));
    expect(events).toHaveLength(2);
    expect(events[1]?.metadata.occurredAt).toBe('2026-03-10T13:00:00.000Z');
  });

  it('refuses a command id reused by another actor, appending nothing', async () => {
    const contractId = randomUUID();
    await openContract(contractId);
    await addContact(contractId, 1, 'one-key');
    await expect(
      addContact(contractId, 1, 'one-key', writePath, ['billing'], { actor: asAdmin }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await writePath.eventStore.readStream(contractStream(contractId))).toHaveLength(2);
  });

  it('refuses a command id reused for a different command, appending nothing', async () => {
    const contractId = randomUUID();
    await openContract(contractId);
    await addContact(contractId, 1, 'reused-key');
    const error = await addContact(contractId, 2, 'reused-key').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await writePath.eventStore.readStream(contractStream(contractId))).toHaveLength(2);
  });

  it('appends nothing when the decider refuses', async () => {
    const contractId = randomUUID();
    await openContract(contractId);
    const refused = handleCommand(writePath, contractDecider, contractStream(contractId), {
      commandId: randomUUID(),
      command: {
        type: 'RemoveUser',
        data: { userId: owner.userId },
        metadata: { now: clock.now().toISOString(), actor: asCustomer(owner) },
      } satisfies ContractCommand,
    });
    await expect(refused).rejects.toMatchObject({ code: 'OWNER_NOT_EDITABLE' });
    expect(await writePath.eventStore.readStream(contractStream(contractId))).toHaveLength(1);
  });

  /** The contract's stream holds its opening and one contact per writer, none lost to a conflict. */
  const expectEveryContactKept = async (contractId: string, writers: number) => {
    const { state, events } = await loadAggregate(
      writePath.eventStore,
      contractDecider,
      contractStream(contractId),
    );
    expect(events).toHaveLength(1 + writers);
    expect(state.status === 'open' && state.contacts.length).toBe(writers);
  };

  it('loses nothing when many commands hit one contract at once', async () => {
    const contractId = randomUUID();
    await openContract(contractId);
    const writers = 16;
    const patient: WritePath = { ...writePath, maxAttempts: 100 };
    await Promise.all(
      Array.from({ length: writers }, (_, n) =>
        addContact(contractId, n, randomUUID(), patient, ['technical']),
      ),
    );
    await expectEveryContactKept(contractId, writers);
  });

  it('gives up with the concurrency error once its attempts are exhausted', async () => {
    const contractId = randomUUID();
    await openContract(contractId);
    const impatient: WritePath = { ...writePath, maxAttempts: 1 };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, n) => addContact(contractId, n, randomUUID(), impatient)),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled').length;
    const lost = outcomes.filter((o) => o.status === 'rejected');
    for (const loss of lost) expect(loss.reason).toBeInstanceOf(ConcurrencyError);
    expect(await writePath.eventStore.readStream(contractStream(contractId))).toHaveLength(1 + won);
  });

  it('lets commands to one contract take turns in a process, so none of them conflicts even with one attempt', async () => {
    const contractId = randomUUID();
    await openContract(contractId);
    const inTurn: WritePath = { ...writePath, maxAttempts: 1, turns: new StreamTurns() };
    const writers = 32;
    const results = await Promise.all(
      Array.from({ length: writers }, (_, n) => addContact(contractId, n, randomUUID(), inTurn)),
    );
    // In the order they were sent: each one's event lands right after the one before.
    expect(results.map((result) => result.revision)).toEqual(
      Array.from({ length: writers }, (_, n) => n + 1),
    );
    const { state } = await loadAggregate(writePath.eventStore, contractDecider, contractStream(contractId));
    expect(state.status === 'open' && state.contacts.map((contact) => contact.name)).toEqual(
      Array.from({ length: writers }, (_, n) => `Contato ${n}`),
    );
  });

  it('still retries on a conflict with another process when commands take turns in each', async () => {
    const contractId = randomUUID();
    await openContract(contractId);
    const processes = [
      { ...writePath, turns: new StreamTurns(), maxAttempts: 100 },
      { ...writePath, turns: new StreamTurns(), maxAttempts: 100, cache: makeCache() },
    ];
    const writers = 24;
    await Promise.all(
      Array.from({ length: writers }, (_, n) => addContact(contractId, n, randomUUID(), processes[n % 2])),
    );
    await expectEveryContactKept(contractId, writers);
  });

  it('shows the state of an aggregate as it was at a past instant', async () => {
    const contractId = randomUUID();
    clock.set('2026-05-01T12:00:00.000Z');
    await openContract(contractId);
    clock.set('2026-05-02T12:00:00.000Z');
    await addContact(contractId, 1);
    clock.set('2026-05-03T12:00:00.000Z');
    await addContact(contractId, 2);
    const asOf = await loadAggregate(writePath.eventStore, contractDecider, contractStream(contractId), {
      until: new Date('2026-05-02T18:00:00.000Z'),
    });
    expect(asOf.state.status === 'open' && asOf.state.contacts.map((contact) => contact.contactId)).toEqual([
      'contact-1',
    ]);
    expect(asOf.revision).toBe(1);
  });

  it('sees what another process appended, and answers its repeated commands as replays', async () => {
    const contractId = randomUUID();
    await openContract(contractId);
    const otherProcess: WritePath = { ...writePath, cache: new AggregateCache() };
    await addContact(contractId, 1); // this process folds (and caches) the contract
    const fromOther = await addContact(contractId, 2, 'other-process-command', otherProcess);
    const third = await addContact(contractId, 3);
    expect(third.state.status === 'open' && third.state.contacts.map((c) => c.contactId)).toEqual([
      'contact-1',
      'contact-2',
      'contact-3',
    ]);
    const replay = await addContact(contractId, 2, 'other-process-command');
    expect(replay).toMatchObject({ replayed: true, position: fromOther.position });
    expect(await writePath.eventStore.readStream(contractStream(contractId))).toHaveLength(4);
  });
});

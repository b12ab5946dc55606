import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { contractDecider, contractStream, parseEmail, type Actor, type ContractCommand } from '@app/domain';
import { PostgresEventStore, type EventStore } from '@app/event-store';
import type { DatabaseConnection } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { AggregateCache } from './aggregate-cache';
import { fixedClock } from './clock';
import { handleCommand, type WritePath } from './handle-command';

const owner = { userId: 'u-owner', email: parseEmail('dona@exemplo.com.br'), name: 'Dona Maria' };
const actor: Actor = { kind: 'user', userId: owner.userId, email: owner.email, roles: ['customer'] };
const clock = fixedClock('2026-04-01T12:00:00.000Z');

const addContact = (contractId: string, n: number, name = `Contato ${n}`): ContractCommand => ({
  type: 'AddContact',
  data: {
    contactId: `contact-${n}`,
    name,
    email: parseEmail(`contato${n}@exemplo.com.br`),
    categories: ['billing'],
  },
  metadata: { now: clock.now().toISOString(), actor },
});

const removeContact = (contractId: string, n: number): ContractCommand => ({
  type: 'RemoveContact',
  data: { contactId: `contact-${n}` },
  metadata: { now: clock.now().toISOString(), actor },
});

/** The real store, counting stream reads: how the cache saves them is the point of these specifications. */
const countingReads = (store: EventStore) => {
  let reads = 0;
  const counted: EventStore = Object.assign(Object.create(store) as EventStore, {
    readStream: (...args: Parameters<EventStore['readStream']>) => {
      reads++;
      return store.readStream(...args);
    },
  });
  return { store: counted, reads: () => reads };
};

describe('the write path with an aggregate cache, as two processes sharing one store', () => {
  let connection: DatabaseConnection;
  let store: EventStore;

  beforeAll(async () => {
    connection = await openTestDatabase();
    store = await PostgresEventStore.create(connection.db as Kysely<unknown>, {
      directQuery: connection.query,
    });
  });

  afterAll(async () => {
    await store.close();
    await connection.close();
  });

  const process = (eventStore: EventStore = store): WritePath => ({
    eventStore,
    cache: new AggregateCache(),
  });

  const send = (
    path: WritePath,
    contractId: string,
    command: ContractCommand,
    commandId: string = randomUUID(),
  ) =>
    handleCommand(path, contractDecider, contractStream(contractId), {
      commandId,
      command,
    });

  const open = (path: WritePath, contractId: string) =>
    send(path, contractId, {
      type: 'OpenContract',
      data: {
        contractId,
        ownerName: owner.name,
        holderName: 'Dona Maria',
        document: '529.982.247-25',
        phones: [],
        paymentMethod: { method: 'boleto' },
      },
      metadata: { now: clock.now().toISOString(), actor },
    });

  it('reads a stream once, then decides on the cached fold while its appends keep succeeding', async () => {
    const counted = countingReads(store);
    const path = process(counted.store);
    const contractId = randomUUID();
    await open(path, contractId);
    const readsAfterOpen = counted.reads();
    for (let n = 1; n <= 5; n++) await send(path, contractId, addContact(contractId, n));
    expect(counted.reads()).toBe(readsAfterOpen);
    expect(await store.readStream(contractStream(contractId))).toHaveLength(6);
  });

  it('re-reads when another process appended first, and decides on what it wrote', async () => {
    const here = process();
    const there = process();
    const contractId = randomUUID();
    await open(here, contractId);
    await send(here, contractId, addContact(contractId, 1));
    await send(there, contractId, removeContact(contractId, 1));
    const result = await send(here, contractId, addContact(contractId, 2));
    expect(result.state.status === 'open' && result.state.contacts.map((c) => c.contactId)).toEqual([
      'contact-2',
    ]);
  });

  it('confirms a refusal on a fresh read before answering with it', async () => {
    const here = process();
    const there = process();
    const contractId = randomUUID();
    await open(here, contractId);
    await send(there, contractId, addContact(contractId, 7));
    // The cached fold has no contact-7; the store has.
    const removed = await send(here, contractId, removeContact(contractId, 7));
    expect(removed.events.map((e) => e.type)).toEqual(['ContactRemoved']);
  });

  it('answers a command another process already handled as a replay, even on a stale fold', async () => {
    const here = process();
    const there = process();
    const contractId = randomUUID();
    await open(here, contractId);
    const first = await send(there, contractId, addContact(contractId, 3), 'same-request');
    const again = await send(here, contractId, addContact(contractId, 3), 'same-request');
    expect(again).toMatchObject({ replayed: true, position: first.position });
    expect(await store.readStream(contractStream(contractId))).toHaveLength(2);
  });

  it('refuses a reused command id with a different request, even on a stale fold', async () => {
    const here = process();
    const there = process();
    const contractId = randomUUID();
    await open(here, contractId);
    await send(there, contractId, addContact(contractId, 4), 'reused');
    await expect(
      send(here, contractId, addContact(contractId, 4, 'Outro nome'), 'reused'),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(await store.readStream(contractStream(contractId))).toHaveLength(2);
  });
});

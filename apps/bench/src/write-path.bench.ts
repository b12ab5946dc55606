import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { contractDecider, contractStream, parseEmail, type Actor } from '@app/domain';
import {
  AggregateCache,
  StreamTurns,
  handleCommand,
  loadAggregate,
  type WritePath,
} from '@app/command-handling';
import { PostgresEventStore, type EventStore } from '@app/event-store';
import type { DatabaseConnection } from '@app/read-store';
import { POOL_SIZE } from './bench-database';
import { appendStoreThroughput, benchMetadata } from './store-append';
import { compare, duration, throughput, type BenchOptions, type BenchResult } from './bench-harness';

const owner = { userId: 'bench-owner', email: parseEmail('dona@exemplo.com.br'), name: 'Dona Bench' };
const ownerActor: Actor = {
  kind: 'user',
  userId: owner.userId,
  email: owner.email,
  roles: ['customer'],
};

const openContract = (writePath: WritePath, contractId: string) =>
  handleCommand(writePath, contractDecider, contractStream(contractId), {
    commandId: randomUUID(),
    command: {
      type: 'OpenContract',
      data: {
        contractId,
        ownerName: owner.name,
        holderName: 'Bench Hospedagem Ltda',
        document: '11.222.333/0001-81',
        phones: [],
        paymentMethod: { method: 'boleto' },
      },
      metadata: { now: new Date().toISOString(), actor: ownerActor },
    },
  });

const addContact = (writePath: WritePath, contractId: string, contactId: string) =>
  handleCommand(writePath, contractDecider, contractStream(contractId), {
    commandId: randomUUID(),
    command: {
      type: 'AddContact',
      data: {
        contactId,
        name: `Contato ${contactId}`,
        email: parseEmail(`${contactId}@exemplo.com.br`),
        categories: ['billing'],
      },
      metadata: { now: new Date().toISOString(), actor: ownerActor },
    },
  });

const removeContact = (writePath: WritePath, contractId: string, contactId: string) =>
  handleCommand(writePath, contractDecider, contractStream(contractId), {
    commandId: randomUUID(),
    command: {
      type: 'RemoveContact',
      data: { contactId },
      metadata: { now: new Date().toISOString(), actor: ownerActor },
    },
  });

/** A contract whose history is `length` events long: opened, then contacts added and removed in turn. */
const seedLongContract = async (writePath: WritePath, length: number): Promise<string> => {
  const contractId = randomUUID();
  const opened = await openContract(writePath, contractId);
  let revision = opened.revision;
  const batch = 500;
  for (let n = 1; n < length; n += batch) {
    const events = Array.from({ length: Math.min(batch, length - n) }, (_, i) => {
      const index = n + i;
      // Odd events add a contact, even ones remove it again: the state stays small, the history grows.
      const contactId = `contact-${Math.floor((index - 1) / 2)}`;
      return index % 2 === 1
        ? {
            type: 'ContactAdded',
            data: {
              contractId,
              contactId,
              name: `Contato ${index}`,
              email: `contato${index}@exemplo.com.br`,
              categories: ['technical'],
              addedAt: new Date().toISOString(),
            },
          }
        : { type: 'ContactRemoved', data: { contractId, contactId, removedAt: new Date().toISOString() } };
    });
    const appended = await writePath.eventStore.append(
      contractStream(contractId),
      events.map((event) => ({
        id: randomUUID(),
        ...event,
        metadata: { ...benchMetadata(), actor: ownerActor },
      })),
      revision,
    );
    revision = appended.nextExpectedRevision;
  }
  return contractId;
};

/**
 * append.command: commands/s through the whole write path (load, decide, append) on existing contracts, 16
 * concurrent, against append.store in the same run. load.aggregate: ms to load and fold a 10,000-event stream,
 * against reading the same rows with a raw query.
 */
export const writePathBenchmarks = async (
  connection: DatabaseConnection,
  options: BenchOptions,
): Promise<BenchResult[]> => {
  const eventStore: EventStore = await PostgresEventStore.create(connection.db as Kysely<unknown>, {
    directQuery: connection.query,
  });
  // As the API's write path is (libs/platform's InfrastructureModule): cached folds, commands to a stream in turns.
  const writePath: WritePath = {
    eventStore,
    maxAttempts: 5,
    turns: new StreamTurns(),
    cache: new AggregateCache(),
  };
  const durationMs = options.quick ? 3_000 : 10_000;
  const rounds = options.quick ? 3 : 5;

  // Each writer has its own contracts and takes them in turn, so writers never conflict: the figure is the write
  // path's cost, not contention's. Each contract's contacts stay a handful, as real ones do: a writer adds a
  // contact to each of its contracts in turn, and on its next round removes it again (only adding, a contract
  // held hundreds of contacts by the end of a run, and deciding on it cost more each round).
  const contractsPerWriter = options.quick ? 20 : 50;
  const contracts: string[][] = [];
  for (let writer = 0; writer < POOL_SIZE; writer++) {
    const own = Array.from({ length: contractsPerWriter }, () => randomUUID());
    await Promise.all(own.map((contractId) => openContract(writePath, contractId)));
    contracts.push(own);
  }
  let contactNumber = 0;
  const addedContacts = new Map<string, string>();
  const commandRun = () =>
    throughput(POOL_SIZE, durationMs, async (writer, iteration) => {
      const own = contracts[writer]!;
      const contractId = own[iteration % own.length]!;
      const added = addedContacts.get(contractId);
      if (added === undefined) {
        const contactId = `contact-${contactNumber++}`;
        addedContacts.set(contractId, contactId);
        await addContact(writePath, contractId, contactId);
      } else {
        addedContacts.delete(contractId);
        await removeContact(writePath, contractId, added);
      }
    });
  const storeRun = () => appendStoreThroughput(eventStore, POOL_SIZE, durationMs);
  const command = await compare(rounds, commandRun, storeRun);

  const streamLength = 10_000;
  const longContract = await seedLongContract(writePath, streamLength);
  const stream = contractStream(longContract);
  const loadRounds = options.quick ? 5 : 15;
  const load = await compare(
    loadRounds,
    () => duration(() => loadAggregate(eventStore, contractDecider, stream)),
    () =>
      duration(() =>
        connection.query(
          `select event_id, type, data, metadata, stream_name, revision, transaction_id::text, global_position::text
           from es_events where stream_name = $1 order by revision`,
          [stream],
        ),
      ),
  );

  return [
    {
      name: 'append.command',
      unit: 'commands/s',
      ...command,
      note: `${POOL_SIZE} concurrent commands on existing contracts (a contact added, then removed again); baseline append.store; target ratio >= 0.7`,
    },
    {
      name: 'load.aggregate',
      unit: 'ms',
      ...load,
      note: `load and fold a ${streamLength}-event contract; baseline raw read of the rows; target ratio <= 2`,
    },
  ];
};

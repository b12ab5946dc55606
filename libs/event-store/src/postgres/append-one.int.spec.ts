import { sql, type Kysely } from 'kysely';
import { openDatabase, type DatabaseConnection } from '@app/read-store';
import { ConcurrencyError, EventIdConflictError } from '../concurrency-error';
import { appendSpecDatabases, newEvent, settled, thing } from './append.fixtures.spec';
import { PostgresEventStore } from './postgres-event-store';

const databases = appendSpecDatabases('es_append_one', 4);

/**
 * A batch of one append goes to es_append_one instead of es_append_batch (a store with batches of one sends
 * every append that way); these are the outcomes es_append_batch answers for the same appends.
 */
describe.each(databases)('es_append_one on %s', (_name, open) => {
  let connection: DatabaseConnection;
  let store: PostgresEventStore;

  beforeAll(async () => {
    connection = await open();
    store = await PostgresEventStore.create(connection.db as Kysely<unknown>, {
      directQuery: connection.query,
      maxBatchSize: 1,
    });
  });

  afterAll(async () => {
    await store.close();
    await connection.close();
  });

  it('answers every outcome of a lone append as es_append_batch does', async () => {
    const existing = thing();
    await store.append(existing, [newEvent('Created')], 'no_stream');
    const replayed = thing();
    const stored = [newEvent('Stored'), newEvent('AlsoStored')];
    const original = await store.append(replayed, stored, 'no_stream');
    const storedElsewhere = newEvent('Elsewhere');
    await store.append(thing(), [storedElsewhere], 'no_stream');

    const stale = await settled(store.append(existing, [newEvent('Stale')], 3));
    expect(stale).toMatchObject({ ok: false, error: { expected: 3, actual: 0 } });
    expect(!stale.ok && stale.error).toBeInstanceOf(ConcurrencyError);
    expect(await settled(store.append(thing(), [newEvent('Missing')], 'stream_exists'))).toMatchObject({
      ok: false,
      error: { expected: 'stream_exists', actual: 'no_stream' },
    });
    expect(await settled(store.append(existing, [newEvent('Again')], 'no_stream'))).toMatchObject({
      ok: false,
      error: { expected: 'no_stream', actual: 0 },
    });
    expect(await store.append(replayed, stored, 'any')).toEqual({ ...original, alreadyStored: true });
    const intruded = thing();
    const intruder = await settled(store.append(intruded, [storedElsewhere], 'any'));
    expect(!intruder.ok && intruder.error).toBeInstanceOf(EventIdConflictError);
    const partial = await settled(store.append(replayed, [stored[0]!, newEvent('New')], 'any'));
    expect(!partial.ok && partial.error).toBeInstanceOf(EventIdConflictError);
    const twice = newEvent('Twice');
    const sameIdTwice = thing();
    const repeated = await settled(store.append(sameIdTwice, [twice, { ...twice, type: 'Again' }], 'any'));
    expect(!repeated.ok && repeated.error).toBeInstanceOf(EventIdConflictError);

    const multi = thing();
    const several = await store.append(multi, [newEvent('One'), newEvent('Two'), newEvent('Three')], 'any');
    const next = await store.append(existing, [newEvent('Next')], 0);
    expect(next.nextExpectedRevision).toBe(1);
    expect((await store.append(existing, [newEvent('AnyOnExisting')], 'any')).nextExpectedRevision).toBe(2);

    expect((await store.readStream(existing)).map((event) => event.type)).toEqual([
      'Created',
      'Next',
      'AnyOnExisting',
    ]);
    expect((await store.readStream(replayed)).map((event) => event.type)).toEqual(['Stored', 'AlsoStored']);
    expect(await store.readStream(intruded)).toEqual([]);
    expect(await store.readStream(sameIdTwice)).toEqual([]);
    const multiEvents = await store.readStream(multi);
    expect(multiEvents.map((event) => [event.type, event.revision])).toEqual([
      ['One', 0],
      ['Two', 1],
      ['Three', 2],
    ]);
    expect(several).toEqual({ nextExpectedRevision: 2, position: multiEvents.at(-1)!.position });
  });

  it('refuses a lone append whose id a concurrent transaction stores meanwhile, writing none of it', async () => {
    if (connection.kind !== 'server') return;
    const db = connection.db as Kysely<unknown>;
    const contested = newEvent('Contested');
    const [racing, mine] = [thing(), thing()];
    let stored!: () => void;
    const racerStored = new Promise<void>((resolve) => (stored = resolve));
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    // The racer's transaction holds the id uncommitted while the append is sent.
    const racer = db.transaction().execute(async (trx) => {
      await PostgresEventStore.open(trx).append(racing, [contested], 'no_stream');
      stored();
      await committing;
    });
    await racerStored;
    const append = settled(store.append(mine, [newEvent('Before'), contested], 'no_stream'));
    // Once the append waits on the racer's row (or after a while, if it has not got there), the racer commits.
    for (let attempt = 0; attempt < 200; attempt++) {
      const { rows } = await sql<{ waiting: number }>`
        select count(*)::int as waiting from pg_stat_activity
        where wait_event_type = 'Lock' and query like '%es_append_one%'`.execute(db);
      if (rows[0]!.waiting > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    commit();
    await racer;
    const refused = await append;

    expect(!refused.ok && refused.error).toBeInstanceOf(EventIdConflictError);
    expect(await store.readStream(mine)).toEqual([]);
    expect((await store.readStream(racing)).map((event) => event.id)).toEqual([contested.id]);
  });
  it('keeps every outcome exact when lone single-event appends race batches of another store on the same streams', async () => {
    if (connection.kind !== 'server') return;
    // Another process's store: its own pool, group commit on, so its appends go as es_append_batch.
    const other = await openDatabase({
      kind: 'server',
      url: process.env.DATABASE_URL!,
      schema: (await sql<{ schema: string }>`select current_schema() as schema`.execute(connection.db))
        .rows[0]!.schema,
      poolSize: 4,
    });
    const batched = PostgresEventStore.open(other.db as Kysely<unknown>, { directQuery: other.query });
    const streams = Array.from({ length: 3 }, thing);
    const appended = new Map<string, number>(streams.map((stream) => [stream, 0]));
    const unexpected: unknown[] = [];
    const writer = async (target: PostgresEventStore, seed: number) => {
      for (let round = 0; round < 60; round++) {
        const stream = streams[(seed + round) % streams.length]!;
        const [head] = await target.readStream(stream, { direction: 'backwards', maxCount: 1 });
        // Every third append takes whatever revision comes next: it must never be refused.
        const expected = round % 3 === 0 ? 'any' : head === undefined ? 'no_stream' : head.revision;
        const outcome = await settled(target.append(stream, [newEvent(`W${seed}`)], expected));
        if (outcome.ok) appended.set(stream, appended.get(stream)! + 1);
        else if (expected === 'any' || !(outcome.error instanceof ConcurrencyError))
          unexpected.push(outcome.error);
      }
    };
    try {
      await Promise.all([
        ...[0, 1, 2, 3].map((seed) => writer(store, seed)),
        ...[4, 5, 6, 7].map((seed) => writer(batched, seed)),
      ]);
      expect(unexpected).toEqual([]);
      for (const stream of streams) {
        const events = await store.readStream(stream);
        expect(events.map((event) => event.revision)).toEqual(events.map((_, index) => index));
        expect(events).toHaveLength(appended.get(stream)!);
        // Log order agrees with revision order within the stream.
        const positions = events.map((event) => event.position);
        expect([...positions].sort()).toEqual(positions);
      }
    } finally {
      await batched.close();
      await other.close();
    }
  });
});

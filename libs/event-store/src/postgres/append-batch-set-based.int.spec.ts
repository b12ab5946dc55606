import { sql, type Kysely } from 'kysely';
import type { DatabaseConnection } from '@app/read-store';
import { ConcurrencyError, EventIdConflictError } from '../concurrency-error';
import { decodePosition } from '../position';
import { appendSpecDatabases, newEvent, settled, thing } from './append.fixtures.spec';
import { PostgresEventStore } from './postgres-event-store';

const databases = appendSpecDatabases('es_set_based', 4);

/**
 * A batch whose appends go to streams of their own with ids of their own takes es_append_batch's set-based
 * path; these are the outcomes the append-by-append path answers for the same appends.
 */
describe.each(databases)('es_append_batch on distinct streams on %s', (_name, open) => {
  let connection: DatabaseConnection;
  let store: PostgresEventStore;

  beforeAll(async () => {
    connection = await open();
    store = await PostgresEventStore.create(connection.db as Kysely<unknown>, {
      directQuery: connection.query,
    });
  });

  afterAll(async () => {
    await store.close();
    await connection.close();
  });

  it('gives each append its own outcome, all in one transaction', async () => {
    const [existing, missing, replayed, intruded, partly, fresh, multi] = Array.from(
      { length: 7 },
      thing,
    ) as [string, string, string, string, string, string, string];
    await store.append(existing, [newEvent('Created')], 'no_stream');
    const stored = [newEvent('Stored'), newEvent('AlsoStored')];
    const original = await store.append(replayed, stored, 'no_stream');
    const storedElsewhere = newEvent('Elsewhere');
    await store.append(thing(), [storedElsewhere], 'no_stream');
    const storedInPartly = newEvent('InPartly');
    await store.append(partly, [storedInPartly], 'no_stream');

    const [stale, notThere, replay, intruder, partial, first, several, anyOnExisting] = await Promise.all([
      settled(store.append(existing, [newEvent('Stale')], 3)),
      settled(store.append(missing, [newEvent('Missing')], 'stream_exists')),
      settled(store.append(replayed, stored, 'any')),
      settled(store.append(intruded, [storedElsewhere], 'any')),
      settled(store.append(partly, [storedInPartly, newEvent('New')], 'any')),
      settled(store.append(fresh, [newEvent('First')], 'no_stream')),
      settled(store.append(multi, [newEvent('One'), newEvent('Two'), newEvent('Three')], 'any')),
      settled(store.append(thing(), [newEvent('Any')], 'any')),
    ]);

    expect(stale).toMatchObject({ ok: false, error: { expected: 3, actual: 0 } });
    expect(!stale.ok && stale.error).toBeInstanceOf(ConcurrencyError);
    expect(notThere).toMatchObject({ ok: false, error: { expected: 'stream_exists', actual: 'no_stream' } });
    expect(replay).toEqual({ ok: true, value: { ...original, alreadyStored: true } });
    expect(!intruder.ok && intruder.error).toBeInstanceOf(EventIdConflictError);
    expect(!partial.ok && partial.error).toBeInstanceOf(EventIdConflictError);
    expect(first).toMatchObject({ ok: true, value: { nextExpectedRevision: 0 } });
    expect(several).toMatchObject({ ok: true, value: { nextExpectedRevision: 2 } });
    expect(anyOnExisting).toMatchObject({ ok: true, value: { nextExpectedRevision: 0 } });
    const written = [first, several, anyOnExisting].map((outcome) =>
      outcome.ok ? decodePosition(outcome.value.position).major : undefined,
    );
    expect(new Set(written).size).toBe(1);

    expect((await store.readStream(existing)).map((event) => event.type)).toEqual(['Created']);
    expect(await store.readStream(missing)).toEqual([]);
    expect((await store.readStream(replayed)).map((event) => event.type)).toEqual(['Stored', 'AlsoStored']);
    expect(await store.readStream(intruded)).toEqual([]);
    expect((await store.readStream(partly)).map((event) => event.type)).toEqual(['InPartly']);
    const multiEvents = await store.readStream(multi);
    expect(multiEvents.map((event) => [event.type, event.revision])).toEqual([
      ['One', 0],
      ['Two', 1],
      ['Three', 2],
    ]);
    expect(several.ok && several.value.position).toEqual(multiEvents.at(-1)!.position);
  });

  it('refuses an append whose id a concurrent transaction stores meanwhile, and writes the others', async () => {
    if (connection.kind !== 'server') return;
    const db = connection.db as Kysely<unknown>;
    const contested = newEvent('Contested');
    const [racing, mine, other] = [thing(), thing(), thing()];
    let stored!: () => void;
    const racerStored = new Promise<void>((resolve) => (stored = resolve));
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    // The racer's transaction holds the id uncommitted while the batch is sent.
    const racer = db.transaction().execute(async (trx) => {
      await PostgresEventStore.open(trx).append(racing, [contested], 'no_stream');
      stored();
      await committing;
    });
    await racerStored;
    const batch = Promise.all([
      settled(store.append(mine, [contested], 'no_stream')),
      settled(store.append(other, [newEvent('Other')], 'no_stream')),
    ]);
    // Once the batch waits on the racer's row (or after a while, if it has not got there), the racer commits.
    for (let attempt = 0; attempt < 200; attempt++) {
      const { rows } = await sql<{ waiting: number }>`
        select count(*)::int as waiting from pg_stat_activity
        where wait_event_type = 'Lock' and query like '%es_append_batch%'`.execute(db);
      if (rows[0]!.waiting > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    commit();
    await racer;
    const [refused, written] = await batch;

    expect(!refused.ok && refused.error).toBeInstanceOf(EventIdConflictError);
    expect(written).toMatchObject({ ok: true, value: { nextExpectedRevision: 0 } });
    expect(await store.readStream(mine)).toEqual([]);
    expect((await store.readStream(racing)).map((event) => event.id)).toEqual([contested.id]);
    expect((await store.readStream(other)).map((event) => event.type)).toEqual(['Other']);
  });
});

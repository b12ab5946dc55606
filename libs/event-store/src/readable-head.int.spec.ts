import type { Kysely } from 'kysely';
import { openDatabase, type DatabaseConnection } from '@app/read-store';
import { newEvent } from './postgres/append.fixtures.spec';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { encodePosition } from './position';
import { headReaching } from './readable-head';

describe('headReaching', () => {
  let connection: DatabaseConnection;
  let store: PostgresEventStore;

  beforeAll(async () => {
    connection = await openDatabase({ kind: 'memory' });
    store = await PostgresEventStore.create(connection.db as Kysely<unknown>, {
      directQuery: connection.query,
    });
  });

  afterAll(async () => {
    await store.close();
    await connection.close();
  });

  it('answers nothing for an empty log, then the newest event once it is readable', async () => {
    expect(await headReaching(store)).toBeUndefined();
    await store.append('thing-1', [newEvent()], 'no_stream');
    const { position } = await store.append('thing-2', [newEvent(), newEvent()], 'no_stream');
    expect(await headReaching(store)).toBe(position);
    expect((await store.readAll()).at(-1)?.position).toBe(position);
  });

  it('gives up on a position the log never reaches', async () => {
    await expect(
      headReaching(store, encodePosition(2n ** 60n, 1n), { pollMs: 5, timeoutMs: 50 }),
    ).rejects.toThrow('unreadable');
  });
});

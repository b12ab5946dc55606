import { sql, type Kysely } from 'kysely';
import type { DatabaseConnection } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { cursorRows } from './query-cursor';

describe('cursorRows: a query read through a Postgres cursor, a batch at a time', () => {
  let connection: DatabaseConnection;
  let db: Kysely<unknown>;

  beforeAll(async () => {
    connection = await openTestDatabase();
    db = connection.db as Kysely<unknown>;
  });
  afterAll(() => connection.close());

  const numbers = (count: number) =>
    db.selectFrom(sql<{ n: number }>`generate_series(1, ${count})`.as('g')).select(sql<number>`g`.as('n'));

  it('yields every row in order, across batches, and ends its transaction', async () => {
    const seen: number[] = [];
    for await (const row of cursorRows(db, numbers(2_500), 1_000)) seen.push(Number(row.n));
    expect(seen).toEqual(Array.from({ length: 2_500 }, (_, index) => index + 1));
    const { rows } = await sql<{ open: number }>`select 1 as open`.execute(db);
    expect(rows).toEqual([{ open: 1 }]);
  });

  it('fetches the next batch only when asked, and closes the cursor when the reader stops', async () => {
    const iterator = cursorRows(db, numbers(1_000_000), 100)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toEqual({ n: 1 });
    for (let n = 2; n <= 150; n++) expect((await iterator.next()).value).toEqual({ n });
    await iterator.return(undefined);
    // The transaction is over: the database answers other queries, and no cursor is left open.
    const { rows } = await sql<{
      cursors: number;
    }>`select count(*)::int as cursors from pg_cursors where name like 'export_%'`.execute(db);
    expect(rows).toEqual([{ cursors: 0 }]);
  });
});

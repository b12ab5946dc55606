import { randomUUID } from 'node:crypto';
import { sql, type Expression, type Kysely } from 'kysely';

/** Rows fetched from the cursor at a time: the most a CSV export holds in memory. */
export const CURSOR_BATCH = 1_000;

/**
 * The rows of `query` through a Postgres cursor (`DECLARE … CURSOR` in a read-only transaction), `batch` rows at
 * a time: the next batch is fetched only when the consumer asks for it, so a slow reader holds back the database
 * instead of filling memory. Breaking out of the loop closes the cursor and ends the transaction. Works on a
 * Postgres server and on PGlite (where the transaction holds the one connection until the export ends).
 */
export async function* cursorRows<Row>(
  db: Kysely<unknown>,
  query: Expression<Row>,
  batch = CURSOR_BATCH,
): AsyncGenerator<Row> {
  const trx = await db.startTransaction().setAccessMode('read only').execute();
  const name = sql.id(`export_${randomUUID().replaceAll('-', '')}`);
  try {
    await sql`declare ${name} no scroll cursor for ${query}`.execute(trx);
    for (;;) {
      const { rows } = await sql<Row>`fetch forward ${sql.lit(batch)} from ${name}`.execute(trx);
      for (const row of rows) yield row;
      if (rows.length < batch) break;
    }
  } finally {
    await trx.rollback().execute();
  }
}

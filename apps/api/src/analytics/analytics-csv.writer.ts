import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { csvRecord } from '../http/csv';

/**
 * CSV for the analytics lists, streamed from a database cursor: rows are fetched a batch at a time and the next
 * batch is fetched only once the response has taken the last one (backpressure), so an export of any size holds
 * one batch in memory. Fields are quoted by the API's one CSV format (http/csv).
 */

/** Rows fetched from the cursor at a time. */
export const CSV_BATCH_ROWS = 1_000;

/** How long a client may stop reading before the export is abandoned (the cursor holds a connection open). */
const DRAIN_TIMEOUT_MS = 30_000;

/** One column of an export: its header and how a row gives its value. */
export type CsvColumn<Row> = Readonly<{ header: string; value: (row: Row) => unknown }>;

const writeOrWait = async (response: ServerResponse, chunk: string): Promise<boolean> => {
  if (response.write(chunk)) return true;
  const drained = once(response, 'drain').then(() => true);
  const closed = once(response, 'close').then(() => false);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), DRAIN_TIMEOUT_MS);
  });
  try {
    return await Promise.race([drained, closed, timedOut]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Streams `query`'s rows as CSV into `response`. Nothing is written before the first batch is read, so a
 * failing query still gets the API's error body; a failure after that cuts the response short.
 */
export const streamCsv = async <Row>(
  db: Kysely<unknown>,
  query: RawBuilder<Row>,
  columns: readonly CsvColumn<Row>[],
  response: ServerResponse,
  filename: string,
): Promise<void> => {
  let started = false;
  try {
    await db.transaction().execute(async (trx) => {
      await sql`declare analytics_export no scroll cursor for ${query}`.execute(trx);
      for (;;) {
        const { rows } =
          await sql<Row>`fetch ${sql.raw(String(CSV_BATCH_ROWS))} from analytics_export`.execute(trx);
        if (!started) {
          started = true;
          response.statusCode = 200;
          response.setHeader('Content-Type', 'text/csv; charset=utf-8');
          response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
          if (!(await writeOrWait(response, csvRecord(columns.map((column) => column.header))))) return;
        }
        if (rows.length > 0) {
          const chunk = rows.map((row) => csvRecord(columns.map((column) => column.value(row)))).join('');
          if (!(await writeOrWait(response, chunk))) return;
        }
        if (rows.length < CSV_BATCH_ROWS) break;
      }
      await sql`close analytics_export`.execute(trx);
    });
  } catch (error) {
    if (!started) throw error;
    response.destroy(error instanceof Error ? error : undefined);
    return;
  }
  if (response.writable) response.end();
  else response.destroy();
};

import type { ServerResponse } from 'node:http';
import { csvRecord } from './csv-format';

/** Records are sent in chunks of about this many characters rather than one write each. */
const CHUNK_CHARACTERS = 64 * 1024;

/** How long a client may stop reading before the download is abandoned (the cursor holds a connection open). */
const DRAIN_TIMEOUT_MS = 30_000;

/** One column of a CSV list: its header and how a row gives its value. */
export type CsvColumn<Row> = Readonly<{ header: string; value: (row: Row) => unknown }>;

/** The header and the record of each row, for a list described column by column. */
export const csvColumns = <Row>(
  columns: readonly CsvColumn<Row>[],
): Readonly<{ header: readonly string[]; recordOf: (row: Row) => readonly unknown[] }> => ({
  header: columns.map((column) => column.header),
  recordOf: (row) => columns.map((column) => column.value(row)),
});

/**
 * Resolves true when the socket can take more, false when the client has gone or has read nothing for
 * DRAIN_TIMEOUT_MS.
 */
const drained = (response: ServerResponse): Promise<boolean> =>
  new Promise((resolve) => {
    if (response.destroyed) {
      resolve(false);
      return;
    }
    const done = (more: boolean) => () => {
      clearTimeout(timer);
      response.off('drain', onDrain);
      response.off('close', onClose);
      resolve(more);
    };
    const onDrain = done(true);
    const onClose = done(false);
    const timer = setTimeout(onClose, DRAIN_TIMEOUT_MS);
    response.on('drain', onDrain);
    response.on('close', onClose);
  });

/** Whether the request asks for CSV (`Accept: text/csv`) rather than JSON. */
export const wantsCsv = (accept: string | undefined): boolean =>
  accept !== undefined && /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept);

/**
 * Writes a CSV download: the header record, then one record per row as the rows come, in chunks of about 64 KiB,
 * waiting for the socket to drain whenever its buffer is full, so the rows' source (a database cursor) is read
 * no faster than the client reads. A failure after the first byte can no longer become an error body: the
 * connection is cut instead, so the client sees a truncated download rather than a complete-looking file.
 */
export const sendCsv = async <Row>(
  response: ServerResponse,
  fileName: string,
  header: readonly string[],
  rows: AsyncIterable<Row>,
  recordOf: (row: Row) => readonly unknown[],
): Promise<void> => {
  const iterator = rows[Symbol.asyncIterator]();
  // The first row is read before anything is sent, so an error in the query still answers a proper error body.
  let next = await iterator.next();
  response.statusCode = 200;
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  try {
    let chunk = csvRecord(header);
    while (!next.done) {
      if (response.destroyed) break;
      chunk += csvRecord(recordOf(next.value));
      if (chunk.length >= CHUNK_CHARACTERS) {
        const full = !response.write(chunk);
        chunk = '';
        if (full && !(await drained(response))) break;
      }
      next = await iterator.next();
    }
    if (next.done) response.end(chunk);
    else response.destroy();
  } catch (error) {
    response.destroy(error instanceof Error ? error : undefined);
  } finally {
    await iterator.return?.(undefined);
  }
};

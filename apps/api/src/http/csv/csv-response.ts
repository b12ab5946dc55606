import type { Response } from 'express';
import { csvRecord } from './csv-format';

/** Records are sent in chunks of about this many characters rather than one write each. */
const CHUNK_CHARACTERS = 64 * 1024;

/** Resolves when the socket can take more, or when the client has gone (then the loop sees it destroyed). */
const drained = (response: Response): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });

/** Whether the request asks for CSV (`Accept: text/csv`) rather than JSON. */
export const wantsCsv = (accept: string | undefined): boolean =>
  accept !== undefined && /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept);

/**
 * Writes a CSV download: the header record, then one record per row as the rows come, in chunks of about 64 KiB,
 * waiting for the socket to drain whenever its buffer is full, so the rows' source (a database cursor) is read no faster than the client
 * reads. A failure after the first byte can no longer become an error body: the connection is cut instead, so
 * the client sees a truncated download rather than a complete-looking file.
 */
export const sendCsv = async <Row>(
  response: Response,
  fileName: string,
  header: readonly string[],
  rows: AsyncIterable<Row>,
  recordOf: (row: Row) => readonly unknown[],
): Promise<void> => {
  const iterator = rows[Symbol.asyncIterator]();
  // The first row is read before anything is sent, so an error in the query still answers a proper error body.
  let next = await iterator.next();
  response.status(200);
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
        if (full) await drained(response);
      }
      next = await iterator.next();
    }
    if (!response.destroyed) response.end(chunk);
  } catch (error) {
    response.destroy(error instanceof Error ? error : undefined);
  } finally {
    await iterator.return?.(undefined);
  }
};

import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql, type Kysely } from 'kysely';
import type { DatabaseConnection } from '@app/read-store';
import { openTestDatabase } from '@app/testing';
import { csvColumns, sendCsv, type CsvColumn } from './csv-response';
import { CURSOR_BATCH, cursorRows } from './query-cursor';

type Row = { n: number; text: string };

const ROWS = 60_000;
const PADDING = 'x'.repeat(300);
const COLUMNS: readonly CsvColumn<Row>[] = [
  { header: 'n', value: (row) => row.n },
  { header: 'text', value: (row) => row.text },
];

const settle = async (read: () => number): Promise<number> => {
  // Waits until the count stops moving for a few polls: the writer is waiting for the client to read.
  let last = -1;
  let still = 0;
  while (still < 5) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = read();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
};

describe('sendCsv from a cursor', () => {
  let connection: DatabaseConnection;
  let server: Server;
  let port: number;
  let rowsWritten = 0;

  beforeAll(async () => {
    connection = await openTestDatabase();
    const db = connection.db as Kysely<unknown>;
    server = createServer((_request, response) => {
      const counted: CsvColumn<Row>[] = [
        {
          header: 'n',
          value: (row) => {
            rowsWritten++;
            return row.n;
          },
        },
        COLUMNS[1]!,
      ];
      const { header, recordOf } = csvColumns(counted);
      void sendCsv(
        response,
        'rows.csv',
        header,
        cursorRows(
          db,
          sql<Row>`select g as n, ${`a, "quoted"\n${PADDING}`}::text as text from generate_series(1, ${ROWS}) g`,
        ),
        recordOf,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await connection.close();
  });

  it('reads the cursor only as fast as the client takes the rows, then sends them all, quoted', async () => {
    const response = await new Promise<IncomingMessage>((resolve) => get({ port, path: '/' }, resolve));
    response.pause();
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    // The client reads nothing: the writer stops after what the socket buffers hold, far short of every row.
    const stalled = await settle(() => rowsWritten);
    expect(stalled).toBeGreaterThanOrEqual(CURSOR_BATCH);
    expect(stalled).toBeLessThan(ROWS);

    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise((resolve) => response.on('end', resolve));
    response.resume();
    await ended;
    const lines = Buffer.concat(chunks).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('n,text');
    expect(lines[1]).toBe(`1,"a, ""quoted""\n${PADDING}"`);
    expect(lines.at(-2)).toBe(`${ROWS},"a, ""quoted""\n${PADDING}"`);
    expect(lines).toHaveLength(ROWS + 2);
    expect(rowsWritten).toBe(ROWS);
  });
});

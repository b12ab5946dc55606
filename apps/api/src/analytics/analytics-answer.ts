import type { Request, Response } from 'express';
import type { Kysely, RawBuilder } from 'kysely';
import { csvColumns, cursorRows, sendCsv, wantsCsv, type CsvColumn } from '../http/csv';

/** What an analytics endpoint answers: JSON by default, CSV streamed from a cursor on `Accept: text/csv`. */
export type AnalyticsAnswer<Row> = Readonly<{
  json: () => Promise<unknown>;
  csv: Readonly<{ query: RawBuilder<Row>; columns: readonly CsvColumn<Row>[]; filename: string }>;
}>;

/** Sends the answer the request asked for. */
export const sendAnalytics = async <Row>(
  db: Kysely<unknown>,
  request: Request,
  response: Response,
  answer: AnalyticsAnswer<Row>,
): Promise<void> => {
  response.vary('Accept');
  if (wantsCsv(request.headers.accept)) {
    const { header, recordOf } = csvColumns(answer.csv.columns);
    await sendCsv(response, answer.csv.filename, header, cursorRows(db, answer.csv.query), recordOf);
    return;
  }
  response.status(200).json(await answer.json());
};

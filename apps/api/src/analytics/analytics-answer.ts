import type { Request, Response } from 'express';
import type { Kysely, RawBuilder } from 'kysely';
import { wantsCsv } from '../http/csv';
import { streamCsv, type CsvColumn } from './analytics-csv.writer';

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
    await streamCsv(db, answer.csv.query, answer.csv.columns, response, answer.csv.filename);
    return;
  }
  response.status(200).json(await answer.json());
};

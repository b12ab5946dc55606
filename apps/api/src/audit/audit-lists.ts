import type { Response } from 'express';
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { AuditEventRow, AuditLogDatabase } from '@app/projections';
import { cursorRows, sendCsv } from '../http/csv';
import { pageOf, type PageRequest } from '../queries/page-request';
import { AUDIT_CSV_HEADER, auditCsvRecordOf, auditEventViewOf, type AuditCsvRow } from './audit-event.view';

type AuditQuery = SelectQueryBuilder<AuditLogDatabase, 'audit_events', AuditEventRow>;

const csvSelection = (query: AuditQuery) =>
  query
    .clearSelect()
    .select([
      'position',
      'occurred_at',
      'stream_name',
      'revision',
      'type',
      'actor_id',
      'actor_email',
      'correlation_id',
      'causation_id',
      'changes',
      sql<string | null>`metadata->>'commandName'`.as('command_name'),
      sql<string>`data::text`.as('data_json'),
    ]);

/**
 * Answers an audit list: with CSV, every matching event streamed from a database cursor; otherwise the page
 * after the cursor, read `limit + 1` rows at a time in log order.
 */
export const answerAuditList = async (
  db: Kysely<AuditLogDatabase>,
  response: Response,
  csv: Readonly<{ fileName: string }> | undefined,
  query: (after: string | undefined) => AuditQuery,
  page: PageRequest,
): Promise<void> => {
  if (csv) {
    await sendCsv(
      response,
      csv.fileName,
      AUDIT_CSV_HEADER,
      cursorRows<AuditCsvRow>(db as Kysely<unknown>, csvSelection(query(undefined))),
      auditCsvRecordOf,
    );
    return;
  }
  const rows = await query(page.after)
    .limit(page.limit + 1)
    .execute();
  response.json(pageOf(rows, page, (row) => row.position, auditEventViewOf));
};

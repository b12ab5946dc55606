import type { StateChange } from '@app/domain';
import type { AuditEventRow } from '@app/projections';

/** One event of an audit list, as the auditor reads it. */
export type AuditEventView = Readonly<{
  position: string;
  stream: string;
  category: string;
  revision: number;
  eventId: string;
  type: string;
  data: unknown;
  metadata: Readonly<{
    actor: unknown;
    occurredAt: string;
    correlationId: string;
    causationId: string;
    command: string | null;
    commandId: string | null;
  }>;
  /** The fields the event changed in its aggregate's state, folded with the domain's own `evolve`. */
  changes: readonly StateChange[];
}>;

export const auditEventViewOf = (row: AuditEventRow): AuditEventView => ({
  position: row.position,
  stream: row.stream_name,
  category: row.category,
  revision: Number(row.revision),
  eventId: row.event_id,
  type: row.type,
  data: row.data,
  metadata: {
    actor: row.metadata.actor,
    occurredAt: row.metadata.occurredAt,
    correlationId: row.metadata.correlationId,
    causationId: row.metadata.causationId,
    command: row.metadata.commandName ?? null,
    commandId: row.metadata.commandId ?? null,
  },
  changes: row.changes,
});

/** The columns of an audit list's CSV, one record per event. */
export const AUDIT_CSV_HEADER = [
  'position',
  'occurredAt',
  'stream',
  'revision',
  'type',
  'actor',
  'actorEmail',
  'correlationId',
  'causationId',
  'command',
  'changes',
  'data',
] as const;

const changesText = (changes: readonly StateChange[]): string =>
  changes
    .map((change) => `${change.path}: ${JSON.stringify(change.before)} -> ${JSON.stringify(change.after)}`)
    .join('\n');

/**
 * What the CSV of an audit list reads of each event: `data` as the text Postgres stores (never parsed into
 * objects only to be written out again) and only the command's name of its metadata, so a million-row export
 * allocates little per row.
 */
export type AuditCsvRow = Pick<
  AuditEventRow,
  | 'position'
  | 'occurred_at'
  | 'stream_name'
  | 'revision'
  | 'type'
  | 'actor_id'
  | 'actor_email'
  | 'correlation_id'
  | 'causation_id'
  | 'changes'
> &
  Readonly<{ command_name: string | null; data_json: string }>;

/** An event as one CSV record; `changes` one line per field, `data` as JSON. */
export const auditCsvRecordOf = (row: AuditCsvRow): readonly unknown[] => [
  row.position,
  row.occurred_at,
  row.stream_name,
  Number(row.revision),
  row.type,
  row.actor_id,
  row.actor_email,
  row.correlation_id,
  row.causation_id,
  row.command_name,
  changesText(row.changes),
  row.data_json,
];

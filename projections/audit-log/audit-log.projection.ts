import { sql, type Transaction } from 'kysely';
import {
  ALL_EVENT_TYPES,
  auditedAggregateOf,
  stateChanges,
  type Message,
  type StateChange,
} from '@app/domain';
import { streamCategory, type EventMetadata, type RecordedEvent } from '@app/event-store';
import type { Projection } from '@app/projection-runner';
import type { AuditLogDatabase } from './audit-log.table';

const NAME = 'audit-log';

/**
 * Rows per statement. Each statement sends its rows as one jsonb parameter (no limit of bind parameters to
 * mind); the chunk only bounds that parameter's size for a very large batch.
 */
const CHUNK = 2_000;

type Folded = {
  category: string;
  contractId: string | null;
  revision: number;
  state: unknown;
  firstPosition: string;
  firstOccurredAt: string;
};

/** An `audit_events` row as the insert's jsonb parameter carries it: data, metadata and changes as JSON values. */
type AuditEventRecord = Readonly<{
  position: string;
  event_id: string;
  stream_name: string;
  category: string;
  revision: number;
  contract_id: string | null;
  type: string;
  occurred_at: string;
  actor_id: string;
  actor_email: string | null;
  correlation_id: string;
  causation_id: string;
  data: unknown;
  metadata: EventMetadata;
  changes: readonly StateChange[];
}>;

type AuditStreamRecord = Readonly<{
  stream_name: string;
  category: string;
  contract_id: string | null;
  revision: number;
  state: unknown;
  first_position: string;
  first_occurred_at: string;
}>;

const actorColumns = (event: RecordedEvent): Pick<AuditEventRecord, 'actor_id' | 'actor_email'> => {
  const { actor } = event.metadata;
  return actor.kind === 'user'
    ? { actor_id: actor.userId, actor_email: actor.email }
    : { actor_id: actor.rule, actor_email: null };
};

const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) out.push(items.slice(start, start + CHUNK));
  return out;
};

/**
 * One multi-row insert of the batch's events: the rows go as one JSON array (one stringify, one parse in Postgres)
 * and are unpacked by `jsonb_to_recordset`. A JSON null reads as SQL null there, hence the coalesce: the jsonb
 * columns keep the JSON `null` an event's data might be.
 */
const insertEvents = (trx: Transaction<AuditLogDatabase>, records: readonly AuditEventRecord[]) =>
  sql`
    insert into audit_events (position, event_id, stream_name, category, revision, contract_id, type, occurred_at,
      actor_id, actor_email, correlation_id, causation_id, data, metadata, changes)
    select position, event_id, stream_name, category, revision, contract_id, type, occurred_at,
      actor_id, actor_email, correlation_id, causation_id,
      coalesce(data, 'null'::jsonb), coalesce(metadata, 'null'::jsonb), coalesce(changes, 'null'::jsonb)
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(position text, event_id text,
      stream_name text, category text, revision bigint, contract_id text, type text, occurred_at timestamptz,
      actor_id text, actor_email text, correlation_id text, causation_id text, data jsonb, metadata jsonb,
      changes jsonb)
    on conflict (position) do nothing`.execute(trx);

/** One upsert of the streams the batch moved: their folded state and revision (the rest is set once). */
const upsertStreams = (trx: Transaction<AuditLogDatabase>, records: readonly AuditStreamRecord[]) =>
  sql`
    insert into audit_streams (stream_name, category, contract_id, revision, state, first_position,
      first_occurred_at)
    select stream_name, category, contract_id, revision, coalesce(state, 'null'::jsonb), first_position,
      first_occurred_at
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(stream_name text, category text,
      contract_id text, revision bigint, state jsonb, first_position text, first_occurred_at timestamptz)
    on conflict (stream_name) do update set revision = excluded.revision, state = excluded.state`.execute(
    trx,
  );

/**
 * Folds a batch: each stream's state is taken from where the previous batch left it, each new event evolved into
 * it with its aggregate's own `evolve`, and the difference kept as the event's changes. An event at or below the
 * stream's folded revision is a replay and changes nothing.
 */
const apply = async (events: readonly RecordedEvent[], trx: Transaction<AuditLogDatabase>): Promise<void> => {
  const names = [...new Set(events.map((event) => event.streamName))];
  const folded = new Map<string, Folded>();
  for (const part of chunks(names)) {
    const rows = await trx
      .selectFrom('audit_streams')
      .selectAll()
      .where(sql<boolean>`stream_name = any(${sql.val(part)}::text[])`)
      .execute();
    for (const row of rows) {
      folded.set(row.stream_name, {
        category: row.category,
        contractId: row.contract_id,
        revision: Number(row.revision),
        state: row.state,
        firstPosition: row.first_position,
        firstOccurredAt: row.first_occurred_at.toISOString(),
      });
    }
  }
  const rows: AuditEventRecord[] = [];
  const touched = new Set<string>();
  for (const event of events) {
    const known = folded.get(event.streamName);
    if (known && event.revision <= known.revision) continue;
    const category = streamCategory(event.streamName);
    const aggregate = auditedAggregateOf(category);
    const message: Message = { type: event.type, data: event.data as Message['data'] };
    const stream: Folded = known ?? {
      category,
      contractId: aggregate?.contractIdOf(message) ?? null,
      revision: -1,
      state: aggregate?.initialState() ?? null,
      firstPosition: event.position,
      firstOccurredAt: event.metadata.occurredAt,
    };
    const after = aggregate ? aggregate.evolve(stream.state, message) : null;
    const changes = aggregate ? stateChanges(stream.state, after) : [];
    folded.set(event.streamName, { ...stream, revision: event.revision, state: after });
    touched.add(event.streamName);
    rows.push({
      position: event.position,
      event_id: event.id,
      stream_name: event.streamName,
      category,
      revision: event.revision,
      contract_id: stream.contractId,
      type: event.type,
      occurred_at: event.metadata.occurredAt,
      ...actorColumns(event),
      correlation_id: event.metadata.correlationId,
      causation_id: event.metadata.causationId,
      data: event.data,
      metadata: event.metadata,
      changes,
    });
  }
  for (const part of chunks(rows)) await insertEvents(trx, part);
  const streams = [...touched].map((name): AuditStreamRecord => {
    const stream = folded.get(name)!;
    return {
      stream_name: name,
      category: stream.category,
      contract_id: stream.contractId,
      revision: stream.revision,
      state: stream.state,
      first_position: stream.firstPosition,
      first_occurred_at: stream.firstOccurredAt,
    };
  });
  for (const part of chunks(streams)) await upsertStreams(trx, part);
};

/**
 * The audit log: every event of the log with the per-field changes it made, and which contract each stream
 * belongs to, so a contract's whole history (services, invoices, tickets and call-backs created later included)
 * is one indexed read.
 */
export const auditLogProjection: Projection<AuditLogDatabase> = {
  name: NAME,
  version: 1,
  handles: ALL_EVENT_TYPES,
  apply,
};

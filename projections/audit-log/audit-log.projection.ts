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

/**
 * An `audit_events` row as the insert's jsonb parameter carries it, one JSON array per event (no key repeated per
 * row): the columns taken from the metadata (occurrence, actor, correlation, causation) are read from it in SQL
 * rather than sent twice.
 */
type AuditEventRecord = readonly [
  position: string,
  eventId: string,
  streamName: string,
  category: string,
  revision: number,
  contractId: string | null,
  type: string,
  data: unknown,
  metadata: EventMetadata,
  changes: readonly StateChange[],
];

type AuditStreamRecord = readonly [
  streamName: string,
  category: string,
  contractId: string | null,
  revision: number,
  state: unknown,
  firstPosition: string,
  firstOccurredAt: string,
];

const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) out.push(items.slice(start, start + CHUNK));
  return out;
};

/**
 * One multi-row insert of the batch's events: the rows go as one JSON array of arrays (one stringify, one parse
 * in Postgres). A user acts under their id and e-mail, the system under its rule's name (see Actor).
 */
const insertEvents = (trx: Transaction<AuditLogDatabase>, records: readonly AuditEventRecord[]) =>
  sql`
    insert into audit_events (position, event_id, stream_name, category, revision, contract_id, type, occurred_at,
      actor_id, actor_email, correlation_id, causation_id, data, metadata, changes)
    select r->>0, r->>1, r->>2, r->>3, (r->>4)::bigint, r->>5, r->>6, (r->8->>'occurredAt')::timestamptz,
      case when r->8->'actor'->>'kind' = 'user' then r->8->'actor'->>'userId' else r->8->'actor'->>'rule' end,
      case when r->8->'actor'->>'kind' = 'user' then r->8->'actor'->>'email' end,
      r->8->>'correlationId', r->8->>'causationId', r->7, r->8, r->9
    from jsonb_array_elements(${JSON.stringify(records)}::jsonb) as r
    on conflict (position) do nothing`.execute(trx);

/** One upsert of the streams the batch moved: their folded state and revision (the rest is set once). */
const upsertStreams = (trx: Transaction<AuditLogDatabase>, records: readonly AuditStreamRecord[]) =>
  sql`
    insert into audit_streams (stream_name, category, contract_id, revision, state, first_position,
      first_occurred_at)
    select r->>0, r->>1, r->>2, (r->>3)::bigint, r->4, r->>5, (r->>6)::timestamptz
    from jsonb_array_elements(${JSON.stringify(records)}::jsonb) as r
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
    rows.push([
      event.position,
      event.id,
      event.streamName,
      category,
      event.revision,
      stream.contractId,
      event.type,
      event.data,
      event.metadata,
      changes,
    ]);
  }
  for (const part of chunks(rows)) await insertEvents(trx, part);
  const streams = [...touched].map((name): AuditStreamRecord => {
    const stream = folded.get(name)!;
    return [
      name,
      stream.category,
      stream.contractId,
      stream.revision,
      stream.state,
      stream.firstPosition,
      stream.firstOccurredAt,
    ];
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
  tables: ['audit_events', 'audit_streams'],
  apply,
};

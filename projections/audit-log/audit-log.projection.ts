import type { Transaction } from 'kysely';
import { ALL_EVENT_TYPES, auditedAggregateOf, stateChanges, type Message } from '@app/domain';
import { streamCategory, type RecordedEvent } from '@app/event-store';
import type { Projection } from '@app/projection-runner';
import { toJson } from '../shared';
import type { AuditLogDatabase, NewAuditEventRow } from './audit-log.table';

const NAME = 'audit-log';

/** Rows per insert: well under Postgres's 65,535 bind parameters. */
const CHUNK = 500;

type Folded = {
  category: string;
  contractId: string | null;
  revision: number;
  state: unknown;
  firstPosition: string;
  firstOccurredAt: string;
};

const actorColumns = (event: RecordedEvent): Pick<NewAuditEventRow, 'actor_id' | 'actor_email'> => {
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
 * Folds a batch: each stream's state is taken from where the previous batch left it, each new event evolved into
 * it with its aggregate's own `evolve`, and the difference kept as the event's changes. An event at or below the
 * stream's folded revision is a replay and changes nothing.
 */
const apply = async (events: readonly RecordedEvent[], trx: Transaction<AuditLogDatabase>): Promise<void> => {
  const names = [...new Set(events.map((event) => event.streamName))];
  const folded = new Map<string, Folded>();
  for (const part of chunks(names)) {
    const rows = await trx.selectFrom('audit_streams').selectAll().where('stream_name', 'in', part).execute();
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
  const rows: NewAuditEventRow[] = [];
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
      data: toJson(event.data),
      metadata: toJson(event.metadata),
      changes: toJson(changes),
    });
  }
  for (const part of chunks(rows)) {
    await trx
      .insertInto('audit_events')
      .values(part)
      .onConflict((oc) => oc.column('position').doNothing())
      .execute();
  }
  const streams = [...touched].map((name) => {
    const stream = folded.get(name)!;
    return {
      stream_name: name,
      category: stream.category,
      contract_id: stream.contractId,
      revision: stream.revision,
      state: toJson(stream.state),
      first_position: stream.firstPosition,
      first_occurred_at: stream.firstOccurredAt,
    };
  });
  for (const part of chunks(streams)) {
    await trx
      .insertInto('audit_streams')
      .values(part)
      .onConflict((oc) =>
        oc.column('stream_name').doUpdateSet((eb) => ({
          revision: eb.ref('excluded.revision'),
          state: eb.ref('excluded.state'),
        })),
      )
      .execute();
  }
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

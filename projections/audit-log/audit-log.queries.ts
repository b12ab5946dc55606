import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { KeysetPage } from '../shared';
import type { AuditEventRow, AuditEventsTable, AuditLogDatabase, AuditStreamRow } from './audit-log.table';

/** What an auditor narrows a history to; every field optional, all of them must hold. */
export type AuditEventFilter = Readonly<{
  categories?: readonly string[];
  types?: readonly string[];
  /** A user id, a user's e-mail or a system rule's name. */
  actor?: string;
  /** Events that occurred at or after this instant. */
  from?: Date;
  /** Events that occurred before this instant. */
  to?: Date;
}>;

type AuditEventsQuery = SelectQueryBuilder<AuditLogDatabase, 'audit_events', AuditEventRow>;

const filtered = (query: AuditEventsQuery, filter: AuditEventFilter): AuditEventsQuery => {
  let out = query;
  if (filter.categories?.length) out = out.where('category', 'in', filter.categories);
  if (filter.types?.length) out = out.where('type', 'in', filter.types);
  const { actor } = filter;
  if (actor !== undefined) {
    out = out.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_email', '=', actor)]));
  }
  if (filter.from) out = out.where('occurred_at', '>=', filter.from);
  if (filter.to) out = out.where('occurred_at', '<', filter.to);
  return out;
};

const inLogOrder = (
  db: Kysely<AuditLogDatabase>,
  column: keyof Pick<AuditEventsTable, 'contract_id' | 'correlation_id'>,
  value: string,
  filter: AuditEventFilter,
  after: string | undefined,
): AuditEventsQuery => {
  let query = db.selectFrom('audit_events').selectAll().where(column, '=', value);
  if (after !== undefined) query = query.where('position', '>', after);
  return filtered(query, filter).orderBy('position');
};

/**
 * A contract's whole history in log order (its own stream and its services', invoices', tickets' and
 * call-backs'), filtered; the key is `position`. Without a page, the query to run through a cursor (CSV).
 */
export const contractAuditEventsQuery = (
  db: Kysely<AuditLogDatabase>,
  contractId: string,
  filter: AuditEventFilter = {},
  after?: string,
): AuditEventsQuery => inLogOrder(db, 'contract_id', contractId, filter, after);

/** One page of {@link contractAuditEventsQuery}. */
export const contractAuditEvents = (
  db: Kysely<AuditLogDatabase>,
  contractId: string,
  filter: AuditEventFilter,
  page: KeysetPage,
): Promise<AuditEventRow[]> =>
  contractAuditEventsQuery(db, contractId, filter, page.after).limit(page.limit).execute();

/** Every event of one request or process, across all streams, in log order; the key is `position`. */
export const correlationAuditEventsQuery = (
  db: Kysely<AuditLogDatabase>,
  correlationId: string,
  filter: AuditEventFilter = {},
  after?: string,
): AuditEventsQuery => inLogOrder(db, 'correlation_id', correlationId, filter, after);

/** One page of {@link correlationAuditEventsQuery}. */
export const correlationAuditEvents = (
  db: Kysely<AuditLogDatabase>,
  correlationId: string,
  filter: AuditEventFilter,
  page: KeysetPage,
): Promise<AuditEventRow[]> =>
  correlationAuditEventsQuery(db, correlationId, filter, page.after).limit(page.limit).execute();

/**
 * The streams of a contract's history (its own first), optionally only those begun by `at`: where to read
 * events from to rebuild its state. The index says where to look; the state itself comes from the event store.
 */
export const contractStreams = (
  db: Kysely<AuditLogDatabase>,
  contractId: string,
  at?: Date,
): Promise<AuditStreamRow[]> => {
  let query = db.selectFrom('audit_streams').selectAll().where('contract_id', '=', contractId);
  if (at) query = query.where('first_occurred_at', '<=', at);
  return query.orderBy('first_position').execute();
};

/**
 * The names of {@link contractStreams}, in the same order: all a rebuild needs, without reading (and parsing)
 * each stream's indexed state.
 */
export const contractStreamNames = async (
  db: Kysely<AuditLogDatabase>,
  contractId: string,
  at?: Date,
): Promise<string[]> => {
  let query = db.selectFrom('audit_streams').select('stream_name').where('contract_id', '=', contractId);
  if (at) query = query.where('first_occurred_at', '<=', at);
  return (await query.orderBy('first_position').execute()).map((row) => row.stream_name);
};

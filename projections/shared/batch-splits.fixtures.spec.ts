import { sql, type Kysely } from 'kysely';
import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import type { Projection } from '@app/projection-runner';
import type { DatabaseConnection } from '@app/read-store';
import { generateEventLog } from '@app/testing';

/**
 * A generated log (see `generateEventLog`) written to `connection`, as a projection's runner would read it: the
 * events of the types it handles, in log order. A shared server may hold the readable log back for a moment after
 * the last append, so the read waits until every event is readable.
 */
export const generatedLogFor = async (
  connection: DatabaseConnection,
  handles: readonly string[],
  options: Readonly<{ seed: number; events: number }>,
): Promise<RecordedEvent[]> => {
  const store = PostgresEventStore.open(connection.db, { directQuery: connection.query });
  const written = await generateEventLog(store, { ...options, batchEvents: 1_000 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const all: RecordedEvent[] = [];
    for (;;) {
      const after = all.at(-1)?.position;
      const page = await store.readAll({ maxCount: 5_000, ...(after === undefined ? {} : { after }) });
      all.push(...page);
      if (page.length < 5_000) break;
    }
    if (all.length >= written.events || Date.now() > deadline) {
      const handled = new Set(handles);
      return all.filter((event) => handled.has(event.type));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** `events` cut into batches whose sizes follow `sizes` round and round (the last batch may be shorter). */
export const splitInto = <T>(events: readonly T[], sizes: readonly number[]): T[][] => {
  const batches: T[][] = [];
  for (let start = 0, n = 0; start < events.length; n++) {
    const size = sizes[n % sizes.length]!;
    batches.push(events.slice(start, start + size));
    start += size;
  }
  return batches;
};

/**
 * Empties the projection's tables and its claimed revisions, then applies `batches` one transaction each, as the
 * runner would.
 */
export const rebuildInBatches = async <DB>(
  db: Kysely<DB>,
  projection: Projection<DB>,
  tables: readonly string[],
  batches: readonly (readonly RecordedEvent[])[],
): Promise<void> => {
  for (const table of tables) await sql`truncate ${sql.id(table)} restart identity`.execute(db);
  await sql`delete from projection_stream_revisions where projection = ${projection.name}`.execute(db);
  for (const batch of batches) await db.transaction().execute((trx) => projection.apply(batch, trx));
};

import { sql, type Kysely } from 'kysely';
import type { Snapshot, SnapshotStore } from '../snapshot-store.port';
import { unlessUnavailable } from './connection-failure';

type SnapshotRow = { revision: number | string; schema_version: number; state: unknown };

/** Snapshots in the `es_snapshots` table (created by the event store's migrations), one row per stream. */
export class PostgresSnapshotStore implements SnapshotStore {
  constructor(private readonly db: Kysely<unknown>) {}

  read(streamName: string): Promise<Snapshot | undefined> {
    return unlessUnavailable(async () => {
      const { rows } = await sql<SnapshotRow>`
        select revision, schema_version, state from es_snapshots where stream_name = ${streamName}`.execute(
        this.db,
      );
      const row = rows[0];
      return row
        ? { streamName, revision: Number(row.revision), schemaVersion: row.schema_version, state: row.state }
        : undefined;
    });
  }

  write(snapshot: Snapshot): Promise<void> {
    return unlessUnavailable(async () => {
      await sql`
        insert into es_snapshots as s (stream_name, revision, schema_version, state)
        values (${snapshot.streamName}, ${snapshot.revision}, ${snapshot.schemaVersion},
          ${JSON.stringify(snapshot.state)}::jsonb)
        on conflict (stream_name) do update
          set revision = excluded.revision, schema_version = excluded.schema_version, state = excluded.state,
            taken_at = now()
          where (excluded.schema_version, excluded.revision) > (s.schema_version, s.revision)`.execute(
        this.db,
      );
    });
  }
}

/**
 * An aggregate's folded state as of one revision of its stream, so loading it reads only the events after that
 * revision. `schemaVersion` is the version of the state's shape: a snapshot of another version is ignored (and
 * replaced by the next one written), never upcast.
 */
export type Snapshot = Readonly<{
  streamName: string;
  /** Revision of the last event folded into `state`. */
  revision: number;
  schemaVersion: number;
  /** The state as plain JSON. */
  state: unknown;
}>;

/**
 * Where snapshots are kept, apart from the events: a snapshot is a cache that can be dropped at any time and is
 * rebuilt from the stream. The Postgres adapter keeps them in a table beside the events (or beside the read
 * models when the events are in EventStoreDB).
 */
export interface SnapshotStore {
  /** The latest snapshot of the stream, whatever its schema version, or undefined. */
  read(streamName: string): Promise<Snapshot | undefined>;
  /** Keeps the snapshot unless one of a later revision (same version) or a newer version is kept already. */
  write(snapshot: Snapshot): Promise<void>;
}

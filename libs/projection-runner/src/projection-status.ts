import type { Kysely } from 'kysely';
import type { EventStore, LogCounter, Position } from '@app/event-store';
import type { CheckpointDatabase } from './projection-checkpoints.table';
import type { ReadModelVersionsDatabase, ReadModelVersionState } from './read-model-versions';

/** How one version of a projection is doing, for operators: the CLI, GET /admin/projections and /metrics. */
export type ProjectionStatus = Readonly<{
  name: string;
  version: number;
  /** A read model, or a reactor (its checkpoint row beside theirs, named `reactor:<name>`). */
  kind: LogFollowerKind;
  /**
   * Whether queries read it (`active`), it is still catching up (`building`) or a newer one took over; a reactor
   * is always `active`: nothing reads it, it acts.
   */
  state: ReadModelVersionState | 'unregistered';
  /** `failing` while an event cannot be applied (see lastError); retried with backoff. */
  health: 'running' | 'failing' | 'not started';
  checkpoint: Position | null;
  head: Position | null;
  /** Events it handles that the log holds past its checkpoint; null where the store cannot count them. */
  lagEvents: number | null;
  /** How long the oldest of those events has waited; 0 when caught up. */
  lagSeconds: number;
  eventsApplied: number;
  lastError: string | null;
  errorPosition: string | null;
  updatedAt: Date | null;
}>;

export type LogFollowerKind = 'read model' | 'reactor';

/** What follows the log from a checkpoint row: a projection, or a reactor (`kind: 'reactor'`). */
export type LogFollower = Readonly<{
  name: string;
  version: number;
  handles: readonly string[];
  kind?: LogFollowerKind;
}>;

export type ProjectionStatusSource = Readonly<{
  db: Kysely<unknown>;
  store: EventStore;
  /** The projections and reactors the code runs: their event types count towards lag. */
  projections: readonly LogFollower[];
  /** Counts events in the log (the Postgres store); without one lag is given in seconds only. */
  countEvents?: LogCounter;
  now?: () => Date;
}>;

/**
 * Every version the registry knows and every projection the code runs, with lag measured against one reading of
 * the log's head.
 */
export const projectionStatuses = async ({
  db,
  store,
  projections,
  countEvents,
  now = () => new Date(),
}: ProjectionStatusSource): Promise<ProjectionStatus[]> => {
  const tables = db as Kysely<ReadModelVersionsDatabase & CheckpointDatabase>;
  const head = (await store.headPosition()) ?? null;
  const versions = await tables
    .selectFrom('read_model_versions')
    .select(['name', 'version', 'state'])
    .execute();
  const checkpoints = await tables.selectFrom('projection_checkpoints').selectAll().execute();
  const keys = new Map<string, Readonly<{ name: string; version: number; kind?: LogFollowerKind }>>();
  for (const entry of [...versions, ...projections]) keys.set(`${entry.name}@${entry.version}`, entry);
  const statuses = await Promise.all(
    [...keys.values()].map(async ({ name, version, kind = 'read model' }): Promise<ProjectionStatus> => {
      const registered = versions.find((row) => row.name === name && row.version === version);
      const row = checkpoints.find(
        (checkpoint) => checkpoint.name === name && checkpoint.version === version,
      );
      const checkpoint = (row?.position ?? null) as Position | null;
      const handles = projections.find((projection) => projection.name === name)?.handles;
      const behind = head !== null && (checkpoint === null || checkpoint < head);
      let lagEvents: number | null = behind ? null : 0;
      let lagSeconds = 0;
      if (behind && handles) {
        if (countEvents) lagEvents = await countEvents(checkpoint, head, handles);
        const [oldest] = await store.readAll({
          ...(checkpoint === null ? {} : { after: checkpoint }),
          maxCount: 1,
          filter: { eventTypes: handles },
        });
        if (oldest && oldest.position <= head)
          lagSeconds = Math.max(0, (now().getTime() - Date.parse(oldest.metadata.occurredAt)) / 1000);
      }
      return {
        name,
        version,
        kind,
        state: registered?.state ?? (kind === 'reactor' ? 'active' : 'unregistered'),
        health: row?.status ?? 'not started',
        checkpoint,
        head,
        lagEvents,
        lagSeconds,
        eventsApplied: Number(row?.events_applied ?? 0),
        lastError: row?.last_error ?? null,
        errorPosition: row?.error_position ?? null,
        updatedAt: row?.updated_at ?? null,
      };
    }),
  );
  return statuses.sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
};

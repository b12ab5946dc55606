import type { Kysely } from 'kysely';
import type { AppConfig } from '@app/config';
import {
  EventStoreDbEventStore,
  PostgresEventStore,
  postgresLogCounter,
  type EventStore,
  type LogCounter,
} from '@app/event-store';
import { migrateToLatest, openDatabase, type DatabaseConnection } from '@app/read-store';

/** What the projections commands work on: the configured database (migrated), its event store and log counter. */
export type ProjectionsInfrastructure = Readonly<{
  database: DatabaseConnection;
  db: Kysely<unknown>;
  store: EventStore;
  countEvents: LogCounter | undefined;
}>;

/** Opens the configured database and event store for the length of `use`, then closes both. */
export const withProjectionsInfrastructure = async <T>(
  config: AppConfig,
  use: (infrastructure: ProjectionsInfrastructure) => Promise<T>,
): Promise<T> => {
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const db = database.db as Kysely<unknown>;
    const store: EventStore =
      config.eventStore.kind === 'eventstoredb'
        ? EventStoreDbEventStore.connect(config.eventStore.connectionString)
        : PostgresEventStore.open(db, { directQuery: database.query });
    try {
      return await use({
        database,
        db,
        store,
        countEvents: config.eventStore.kind === 'postgres' ? postgresLogCounter(db) : undefined,
      });
    } finally {
      await store.close();
    }
  } finally {
    await database.close();
  }
};

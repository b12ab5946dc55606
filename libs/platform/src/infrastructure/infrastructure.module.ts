import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import {
  AggregateCache,
  StreamTurns,
  SNAPSHOT_POLICIES,
  Snapshotting,
  systemClock,
  type WritePath,
} from '@app/command-handling';
import type { AppConfig } from '@app/config';
import {
  EventStoreDbEventStore,
  PostgresEventStore,
  PostgresSnapshotStore,
  type EventStore,
} from '@app/event-store';
import { migrateToLatest, openDatabase, type DatabaseConnection } from '@app/read-store';
import { APP_CONFIG, CLOCK, DATABASE, EVENT_STORE, WRITE_PATH } from './infrastructure.tokens';

export type DatabaseOpener = () => Promise<DatabaseConnection>;

/** Opens the database and brings its schema (event store and read models) up to date, under the Migrator's lock. */
const openMigrated = async (open: DatabaseOpener): Promise<DatabaseConnection> => {
  const database = await open();
  await migrateToLatest(database.db);
  return database;
};

/** Opens the configured event store (EventStoreDB, or Postgres on `database`): for the apps and the CLI. */
export const openEventStore = async (config: AppConfig, database: DatabaseConnection): Promise<EventStore> =>
  config.eventStore.kind === 'eventstoredb'
    ? EventStoreDbEventStore.connect(config.eventStore.connectionString)
    : PostgresEventStore.open(database.db, {
        // With LISTEN/NOTIFY waking subscriptions, polling is only the fallback for a lost notification.
        pollIntervalMs: database.listen ? 5_000 : config.eventStore.pollIntervalMs,
        directQuery: database.query,
        ...(database.listen ? { listen: database.listen } : {}),
      });

/**
 * The configuration, the Postgres database, the event store and the write path, opened once per process and
 * closed on shutdown.
 */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly database: DatabaseConnection,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  /** `open` replaces how the database is opened (tests pass their own schema or in-memory PGlite). */
  static forRoot(
    config: AppConfig,
    open: DatabaseOpener = () => openDatabase(config.database),
  ): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DATABASE, useFactory: () => openMigrated(open) },
        {
          provide: EVENT_STORE,
          inject: [DATABASE],
          useFactory: (database: DatabaseConnection) => openEventStore(config, database),
        },
        { provide: CLOCK, useValue: systemClock },
        {
          provide: WRITE_PATH,
          inject: [EVENT_STORE, DATABASE],
          useFactory: (eventStore: EventStore, database: DatabaseConnection): WritePath => ({
            eventStore,
            turns: new StreamTurns(),
            cache: new AggregateCache(),
            // Snapshots live in Postgres beside the read models, whichever store holds the events.
            snapshots: new Snapshotting(new PostgresSnapshotStore(database.db), SNAPSHOT_POLICIES, (error) =>
              process.emitWarning(
                `snapshot not written: ${error instanceof Error ? error.message : String(error)}`,
              ),
            ),
          }),
        },
      ],
      exports: [APP_CONFIG, DATABASE, EVENT_STORE, CLOCK, WRITE_PATH],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.eventStore.close();
    await this.database.close();
  }
}

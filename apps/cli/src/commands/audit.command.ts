import { Command, InvalidArgumentError } from 'commander';
import type { Kysely } from 'kysely';
import { isInstant, type Actor } from '@app/domain';
import { openEventStore } from '@app/platform';
import { ReadModelCatalog } from '@app/projection-runner';
import {
  READ_MODEL_PROJECTIONS,
  replayContract,
  type AuditLogDatabase,
  type ReadModelDatabase,
} from '@app/projections';
import { migrateToLatest, openDatabase } from '@app/read-store';
import type { CliCommand } from '../cli-context';

const parseInstantOption = (value: string): Date => {
  if (!isInstant(value)) throw new InvalidArgumentError('expected an ISO-8601 instant with an offset.');
  return new Date(value);
};

const actorText = (actor: Actor): string =>
  actor.kind === 'user' ? `${actor.email} (${actor.userId})` : `system:${actor.rule}`;

/**
 * `audit replay <contractId> [--at <instant>]`: the contract's history from the event store, one line per event
 * (time, actor, stream, type, changed fields), then the state of each of its streams at the end.
 */
export const auditCommand: CliCommand = ({ config, write }) => {
  const audit = new Command('audit').description("read a contract's audit trail");
  audit
    .command('replay')
    .description(
      "replay a contract's history from the event store: one line per event, then the state at the end",
    )
    .argument('<contractId>', 'the contract')
    .option(
      '--at <instant>',
      'stop at this instant (ISO-8601): the history and state as of then',
      parseInstantOption,
    )
    .action(async (contractId: string, { at }: { at?: Date }) => {
      const appConfig = config();
      const connection = await openDatabase(appConfig.database);
      try {
        await migrateToLatest(connection.db);
        const eventStore = await openEventStore(appConfig, connection);
        // The audit log's streams as the API reads them: from the version queries read.
        const catalog = new ReadModelCatalog(
          connection.db as Kysely<ReadModelDatabase>,
          READ_MODEL_PROJECTIONS,
        );
        await catalog.refresh();
        try {
          const replay = await replayContract(
            eventStore,
            catalog.db as unknown as Kysely<AuditLogDatabase>,
            contractId,
            at,
          );
          if (replay.events.length === 0) {
            write(`no events for contract ${contractId}${at ? ` by ${at.toISOString()}` : ''}`);
            return;
          }
          for (const { event, changes } of replay.events) {
            const fields = changes.map((change) => change.path).join(', ');
            write(
              [
                event.metadata.occurredAt,
                actorText(event.metadata.actor),
                event.streamName,
                event.type,
                fields,
              ]
                .join('  ')
                .trimEnd(),
            );
          }
          write('');
          write(`state${at ? ` at ${at.toISOString()}` : ''}:`);
          write(JSON.stringify(Object.fromEntries(replay.states), null, 2));
        } finally {
          await eventStore.close();
        }
      } finally {
        await connection.close();
      }
    });
  return audit;
};

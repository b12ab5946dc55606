import { Command } from 'commander';
import { migrateDown, migrateToLatest, openDatabase } from '@app/read-store';
import type { CliCommand } from '../cli-context';

/**
 * `migrate [--down]`: brings the configured database's schema (event store and read models) up to date, or undoes
 * the newest migration. The API and the worker migrate at start-up too; this is for operators who migrate first.
 */
export const migrateCommand: CliCommand = ({ config, write }) =>
  new Command('migrate')
    .description('apply the schema migrations to the configured database (or undo the newest with --down)')
    .option('--down', 'undo the newest migration (drops what it created)')
    .action(async ({ down }: { down?: boolean }) => {
      const { database } = config();
      const connection = await openDatabase(database);
      try {
        const { applied } = down ? await migrateDown(connection.db) : await migrateToLatest(connection.db);
        const verb = down ? 'undone' : 'applied';
        write(
          applied.length === 0 ? 'nothing to do: the schema is up to date' : `${verb}: ${applied.join(', ')}`,
        );
      } finally {
        await connection.close();
      }
    });

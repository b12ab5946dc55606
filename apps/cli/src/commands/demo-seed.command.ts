import { Command, InvalidArgumentError } from 'commander';
import type { Kysely } from 'kysely';
import { AggregateCache, type WritePath } from '@app/command-handling';
import { generateDemoBook, demoStartDate, type DemoBookDatabase } from '@app/demo-data';
import { isLocalDate } from '@app/domain';
import { EventStoreDbEventStore, PostgresEventStore, type EventStore } from '@app/event-store';
import { DEMO_CALLERS } from '@app/platform';
import { advisoryLockLease, soleLease } from '@app/projection-runner';
import { migrateToLatest, openDatabase } from '@app/read-store';
import type { CliCommand } from '../cli-context';

const wholeNumber =
  (name: string, min: number, max: number) =>
  (value: string): number => {
    const parsed = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
    if (!(parsed >= min && parsed <= max)) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    return parsed;
  };

const startDate = (value: string): string => {
  if (!isLocalDate(value)) throw new InvalidArgumentError('--start must be a YYYY-MM-DD date.');
  return value;
};

type SeedOptions = { contracts: number; months: number; seed: number; start?: string };

/** A progress bar on stderr, so stdout keeps only the summary line. */
const progressBar = (done: number, total: number): void => {
  if (!process.stderr.isTTY && done !== total && done % 30 !== 0) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} days`;
  process.stderr.write(process.stderr.isTTY ? `\r${bar}` : `${bar}\n`);
  if (done === total && process.stderr.isTTY) process.stderr.write('\n');
};

/**
 * `demo seed --contracts N --months M --seed S [--start YYYY-MM-DD]`: writes a realistic demo book through the
 * write path (every event from a domain command, the clock walking day by day), with the real billing clock and
 * reactors doing the system's part. The same options write the same
 * events on an empty store (seed an empty one: a second run on the same store may add events). Without --start,
 * the book ends yesterday.
 */
export const demoSeedCommand: CliCommand = ({ config, write }) =>
  new Command('demo').description('demo data').addCommand(
    new Command('seed')
      .description('generate a deterministic demo book of contracts through the write path')
      .option('--contracts <n>', 'how many contracts', wholeNumber('--contracts', 1, 100_000), 50)
      .option('--months <n>', 'how many months of history', wholeNumber('--months', 1, 120), 6)
      .option('--seed <n>', 'the random seed', wholeNumber('--seed', 0, 4_294_967_295), 1)
      .option('--start <date>', 'the first day simulated (default: --months before today)', startDate)
      .action(async ({ contracts, months, seed, start }: SeedOptions) => {
        const settings = config();
        const connection = await openDatabase(settings.database);
        let eventStore: EventStore | undefined;
        try {
          await migrateToLatest(connection.db);
          eventStore =
            settings.eventStore.kind === 'eventstoredb'
              ? EventStoreDbEventStore.connect(settings.eventStore.connectionString)
              : PostgresEventStore.open(connection.db, { directQuery: connection.query });
          const writePath: WritePath = { eventStore, cache: new AggregateCache() };
          const started = Date.now();
          const report = await generateDemoBook(writePath, connection.db as Kysely<DemoBookDatabase>, {
            contracts,
            months,
            seed,
            startDate: start ?? demoStartDate(months, new Date()),
            firstOwner: DEMO_CALLERS.customer,
            invoiceLeadDays: settings.billingClock.invoiceLeadDays,
            // Beside a running worker the billing agenda is followed by whichever holds it.
            agendaLease: connection.kind === 'server' ? advisoryLockLease(connection.db) : soleLease(),
            onDay: progressBar,
          });
          write(
            `seeded ${report.contracts} contracts over ${report.days} days: ${report.commands} commands, ` +
              `${report.invoices} invoices, ${report.suspensions} suspensions, ${report.tickets} tickets ` +
              `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
        } finally {
          await eventStore?.close();
          await connection.close();
        }
      }),
  );

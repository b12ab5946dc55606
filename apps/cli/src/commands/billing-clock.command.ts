import { Command } from 'commander';
import type { Kysely } from 'kysely';
import { BillingAutomation } from '@app/billing-clock';
import { AggregateCache } from '@app/command-handling';
import { EventStoreDbEventStore, PostgresEventStore, type EventStore } from '@app/event-store';
import { advisoryLockLease, soleLease, type CheckpointDatabase } from '@app/projection-runner';
import type { BillingAgendaDatabase } from '@app/projections';
import { migrateToLatest, openDatabase } from '@app/read-store';
import type { CliCommand } from '../cli-context';

/**
 * `billing-clock run [--at <instant>]`: runs the billing clock once as of the instant (now by default) and prints
 * what each rule did as JSON. It brings the billing agenda up to the log first and lets the billing reactors react
 * to what the run caused, so it works with no worker running; beside a running worker it shares their leases and
 * command ids, so nothing is done twice.
 */
export const billingClockCommand: CliCommand = ({ config, write }) =>
  new Command('billing-clock').description('the billing clock').addCommand(
    new Command('run')
      .description('run the billing clock once, as of --at (an ISO-8601 instant) or now')
      .option('--at <instant>', 'the instant to run as of, e.g. 2026-12-31T03:00:00Z')
      .action(async ({ at }: { at?: string }) => {
        const settings = config();
        const connection = await openDatabase(settings.database);
        let store: EventStore | undefined;
        let automation: BillingAutomation | undefined;
        try {
          await migrateToLatest(connection.db);
          store =
            settings.eventStore.kind === 'eventstoredb'
              ? EventStoreDbEventStore.connect(settings.eventStore.connectionString)
              : PostgresEventStore.open(connection.db, { directQuery: connection.query });
          automation = new BillingAutomation({
            db: connection.db as Kysely<BillingAgendaDatabase & CheckpointDatabase>,
            store,
            writePath: { eventStore: store, cache: new AggregateCache() },
            invoiceLeadDays: settings.billingClock.invoiceLeadDays,
            lease: connection.kind === 'server' ? advisoryLockLease(connection.db) : soleLease(),
          });
          const report = await automation.run(at ?? new Date());
          write(JSON.stringify(report));
        } finally {
          await automation?.stop();
          await store?.close();
          await connection.close();
        }
      }),
  );

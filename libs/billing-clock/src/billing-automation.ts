import type { Kysely } from 'kysely';
import type { WritePath } from '@app/command-handling';
import { headReaching, type EventStore, type Position } from '@app/event-store';
import { ProjectionRunner, soleLease, type ProjectionLease } from '@app/projection-runner';
import { billingAgendaProjection, type BillingAgendaDatabase } from '@app/projections';
import { billingReactors, ReactorRunner, type ReactorRefusal } from '@app/reactors';
import type { CheckpointDatabase } from '@app/projection-runner';
import { BillingClock, type BillingClockReport } from './billing-clock';

export type BillingAutomationOptions = Readonly<{
  db: Kysely<BillingAgendaDatabase & CheckpointDatabase>;
  store: EventStore;
  writePath: WritePath;
  invoiceLeadDays?: number;
  lease?: ProjectionLease;
  /** Commands in flight at once within a clock rule; 1 appends in the same order every run. */
  clockConcurrency?: number;
  /** Told of each command a reactor sent that its aggregate refused. */
  onRefusal?: (refusal: ReactorRefusal) => void;
}>;

/**
 * The billing agenda's projection, the billing reactors and the clock on one database, for a process that has no
 * worker of its own (the CLI, tests, the bench): `settle` applies the log to the agenda and runs the reactors until
 * nothing moves, `run` is one clock run as of an instant.
 */
export class BillingAutomation {
  readonly clock: BillingClock;
  readonly reactors: ReactorRunner;
  private readonly agenda: ProjectionRunner<BillingAgendaDatabase>;

  constructor(private readonly options: BillingAutomationOptions) {
    this.agenda = new ProjectionRunner<BillingAgendaDatabase>({
      db: options.db,
      store: options.store,
      projections: [billingAgendaProjection],
      lease: options.lease ?? soleLease(),
      // It settles by looking every few milliseconds while it drives the clock: no subscription needed.
      idleMs: 5,
      wakeOnAppend: false,
      leaseRetryMs: 200,
    });
    this.reactors = new ReactorRunner({
      db: options.db as unknown as Kysely<CheckpointDatabase>,
      store: options.store,
      writePath: options.writePath,
      reactors: billingReactors(options.db),
      ...(options.onRefusal === undefined ? {} : { onRefusal: options.onRefusal }),
    });
    this.clock = new BillingClock({
      db: options.db,
      store: options.store,
      writePath: options.writePath,
      ...(options.invoiceLeadDays === undefined ? {} : { invoiceLeadDays: options.invoiceLeadDays }),
      ...(options.clockConcurrency === undefined ? {} : { concurrency: options.clockConcurrency }),
    });
    this.agenda.start();
  }

  /**
   * Until the log stops moving: the log shows `written` (the last position the caller appended), the agenda
   * catches up to its head, the reactors react to everything, and again for what they appended.
   */
  async settle(written?: Position): Promise<void> {
    // Without a position, up to the newest committed event: the readable head alone may still stand behind the
    // caller's last append (a transaction in flight on the server holds it back), and the clock would run without it.
    let target = written;
    for (;;) {
      const head = await headReaching(this.options.store, target, { pollMs: 2 });
      // Nothing was appended since the agenda and the reactors last had nothing left to do.
      if (head !== undefined && head === this.settledThrough) return;
      if (head !== undefined && !(await this.agenda.caughtUpTo(head, 60_000))) {
        throw new Error(`The billing agenda did not reach ${head}`);
      }
      target = await this.reactors.drain();
      if (target === undefined) {
        this.settledThrough = head;
        return;
      }
    }
  }

  /** The head at which the last settle found the agenda and every reactor with nothing left to do. */
  private settledThrough: Position | undefined;

  /** Settles, runs the clock as of `at`, and settles what the run caused. */
  async run(at: Date | string): Promise<BillingClockReport> {
    await this.settle();
    const report = await this.clock.run(at);
    await this.settle(report.position);
    return report;
  }

  async stop(): Promise<void> {
    await this.agenda.stop();
  }
}

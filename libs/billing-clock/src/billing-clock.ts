import type { Kysely } from 'kysely';
import { handleCommand, loadCurrentState, type CommandEnvelope, type WritePath } from '@app/command-handling';
import {
  addDays,
  billingPeriodsDue,
  contractDecider,
  contractStream,
  DEFAULT_INVOICE_DAYS_BEFORE_DUE,
  DomainError,
  invoiceDecider,
  invoiceStream,
  isIdleCloseDue,
  isNotaFiscalPending,
  isOverdueMarkDue,
  isScheduledCancellationDue,
  isSuspensionDue,
  isTerminationDue,
  issuePeriodInvoice,
  localDate,
  notaFiscalSeriesDecider,
  notaFiscalSeriesStream,
  notaFiscalAllocation,
  allocatedNotaFiscalNumber,
  parseInstant,
  serviceDecider,
  serviceStream,
  ticketDecider,
  ticketStream,
  type Actor,
  type Command,
  type Decider,
  type Message,
} from '@app/domain';
import type { EventStore, Position } from '@app/event-store';
import type { CheckpointDatabase } from '@app/projection-runner';
import {
  billingAgendaProjection,
  cancellationsEffectiveBy,
  invitationsExpiringBy,
  notasFiscaisPending,
  retentionEndedBy,
  servicesDueBy,
  ticketsAnsweredBy,
  openInvoicesDueBefore,
  unpaidInvoicesOfActiveServicesDueBefore,
  type BillingAgendaDatabase,
} from '@app/projections';

/** The billing clock's rules, as named in the `system` actor of every event they cause and in their command ids. */
export const BILLING_CLOCK_RULES = [
  'mark-overdue',
  'suspend-unpaid',
  'terminate-after-retention',
  'complete-scheduled-cancellation',
  'issue-invoices',
  'issue-notas-fiscais',
  'close-idle-tickets',
  'expire-invitations',
] as const;

export type BillingClockRule = (typeof BILLING_CLOCK_RULES)[number];

/** What a run did: per rule, the commands that changed something (a repeat counts nothing). */
export type BillingClockReport = Readonly<{
  at: string;
  /** The Sao Paulo day the run counts its days in. */
  day: string;
  counts: Readonly<Record<BillingClockRule, number>>;
  /** Log position of the last event the run appended (for X-Min-Position); absent when it appended nothing. */
  position?: Position;
}>;

export type BillingClockOptions = Readonly<{
  db: Kysely<BillingAgendaDatabase & CheckpointDatabase>;
  store: EventStore;
  writePath: WritePath;
  /** Days before a period starts on which its invoice is issued (BILLING_INVOICE_LEAD_DAYS). */
  invoiceLeadDays?: number;
  /** How long a run waits for the billing agenda to reach the log's head before it gives up. */
  catchUpTimeoutMs?: number;
  /** Commands in flight at once within a rule. */
  concurrency?: number;
}>;

/** The fewest days after a due date on which any service is suspended (3, cloud and dedicated servers). */
const SHORTEST_GRACE_DAYS = 3;
const IDLE_TICKET_MS = 72 * 60 * 60 * 1000;

/**
 * The invoice's number from the series, as the billing clock allocates it: under the allocation's own command id
 * (see `notaFiscalAllocation`), so a retry, or billing staff's early issue of the same invoice, answers with the
 * number first given. `null` when the series refuses.
 */
export const allocateNotaFiscalNumber = async (
  writePath: WritePath,
  invoiceId: string,
  instant: string,
): Promise<number | null> => {
  try {
    const { events } = await handleCommand(writePath, notaFiscalSeriesDecider, notaFiscalSeriesStream(), {
      command: {
        type: 'AllocateNotaFiscalNumber',
        data: { invoiceId },
        metadata: { now: instant, actor: { kind: 'system', rule: 'issue-notas-fiscais' } },
      },
      ...notaFiscalAllocation(invoiceId),
    });
    return allocatedNotaFiscalNumber(events, invoiceId);
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
};

/** The billing agenda did not reach the log's head in time: the run did nothing. */
export class BillingAgendaBehindError extends Error {
  constructor(readonly head: Position) {
    super(`The billing agenda has not reached the log head ${head}; the run was not started`);
    this.name = 'BillingAgendaBehindError';
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The time-based rules of domain.md, run "as of" an instant. Candidates come from the billing agenda (a read
 * model indexed by date), read once it has reached the log's head; each command is then decided on its
 * aggregate, so a stale row causes nothing. Every command id is the rule and its subject (the invoice, the
 * service and invoice, the ticket and its answer…), so running the same instant twice — or the next day after a
 * run died half-way — repeats nothing and completes what is missing.
 */
export class BillingClock {
  private readonly leadDays: number;
  private readonly concurrency: number;

  constructor(private readonly options: BillingClockOptions) {
    this.leadDays = options.invoiceLeadDays ?? DEFAULT_INVOICE_DAYS_BEFORE_DUE;
    this.concurrency = options.concurrency ?? 8;
  }

  async run(at: Date | string): Promise<BillingClockReport> {
    const now = parseInstant(typeof at === 'string' ? at : at.toISOString(), 'at');
    const instant = new Date(now).toISOString();
    const day = localDate(instant);
    await this.waitForAgenda();
    const counts = Object.fromEntries(BILLING_CLOCK_RULES.map((rule) => [rule, 0])) as Record<
      BillingClockRule,
      number
    >;
    const db = this.options.db;
    let position: Position | undefined;
    const send = async <C extends Command, E extends Message, S>(
      rule: BillingClockRule,
      decider: Decider<C, E, S>,
      streamName: string,
      command: Omit<C, 'metadata'>,
      subject: string,
    ): Promise<S | undefined> => {
      const actor: Actor = { kind: 'system', rule };
      const envelope: CommandEnvelope<C> = {
        command: { ...command, metadata: { now: instant, actor } } as unknown as C,
        commandId: `${rule}:${subject}`,
      };
      try {
        const result = await handleCommand(this.options.writePath, decider, streamName, envelope);
        if (!result.replayed && result.events.length > 0) {
          counts[rule]++;
          if (result.position !== undefined && (position === undefined || result.position > position)) {
            position = result.position;
          }
        }
        return result.state;
      } catch (error) {
        // The aggregate refused: what the agenda suggested no longer holds. Nothing to do.
        if (error instanceof DomainError) return undefined;
        throw error;
      }
    };
    const state = <C extends Command, E extends Message, S>(decider: Decider<C, E, S>, stream: string) =>
      loadCurrentState(this.options.writePath, decider, stream).then((loaded) => loaded.state);

    // 1. Invoices still open after their due date are recorded overdue.
    await this.each(openInvoicesDueBefore(db, day), async (invoiceId) => {
      const stream = invoiceStream(invoiceId);
      if (!isOverdueMarkDue(await state(invoiceDecider, stream), instant)) return;
      await send('mark-overdue', invoiceDecider, stream, { type: 'MarkInvoiceOverdue', data: {} }, invoiceId);
    });

    // 2. Services with an invoice unpaid past their grace are suspended (10 days, 3 for servers).
    await this.each(
      unpaidInvoicesOfActiveServicesDueBefore(db, addDays(day, 1 - SHORTEST_GRACE_DAYS)),
      async (invoiceId) => {
        const invoice = await state(invoiceDecider, invoiceStream(invoiceId));
        if (invoice.status !== 'open' && invoice.status !== 'overdue') return;
        for (const serviceId of new Set(invoice.lines.map((line) => line.serviceId))) {
          const stream = serviceStream(serviceId);
          if (!isSuspensionDue(await state(serviceDecider, stream), invoice.dueDate, instant)) continue;
          await send(
            'suspend-unpaid',
            serviceDecider,
            stream,
            {
              type: 'SuspendService',
              data: { reason: 'non_payment', invoiceId, invoiceDueDate: invoice.dueDate },
            },
            `${serviceId}:${invoiceId}`,
          );
        }
      },
    );

    // 3. Services whose retention ended are terminated.
    await this.each(retentionEndedBy(db, day), async (serviceId) => {
      const stream = serviceStream(serviceId);
      const service = await state(serviceDecider, stream);
      if (!isTerminationDue(service, instant) || service.status !== 'suspended') return;
      await send(
        'terminate-after-retention',
        serviceDecider,
        stream,
        { type: 'TerminateService', data: { cause: 'retention_elapsed' } },
        `${serviceId}:${service.suspension.suspendedOn}`,
      );
    });

    // 4. Cancellations scheduled for the end of the period take effect.
    await this.each(cancellationsEffectiveBy(db, day), async (serviceId) => {
      const stream = serviceStream(serviceId);
      if (!isScheduledCancellationDue(await state(serviceDecider, stream), instant)) return;
      await send(
        'complete-scheduled-cancellation',
        serviceDecider,
        stream,
        { type: 'CompleteScheduledCancellation', data: {} },
        serviceId,
      );
    });

    // 5. Each billable service's next periods are invoiced `leadDays` before they start.
    await this.each(servicesDueBy(db, addDays(day, this.leadDays)), async (serviceId) => {
      const service = await state(serviceDecider, serviceStream(serviceId));
      for (const period of billingPeriodsDue(service, day, this.leadDays)) {
        if (service.status !== 'active' && service.status !== 'suspended') return;
        const command = issuePeriodInvoice(service, period.periodStart, {
          now: instant,
          actor: { kind: 'system', rule: 'issue-invoices' },
        });
        const stream = invoiceStream(command.data.invoiceId);
        if ((await state(invoiceDecider, stream)).status !== 'none') continue;
        await send(
          'issue-invoices',
          invoiceDecider,
          stream,
          { type: 'IssueInvoice', data: command.data },
          command.data.invoiceId,
        );
      }
    });

    // 6. Paid invoices get their nota fiscal, numbered by the one series: one at a time, in invoice order.
    for await (const page of notasFiscaisPending(db)) {
      for (const invoiceId of page) {
        const stream = invoiceStream(invoiceId);
        if (!isNotaFiscalPending(await state(invoiceDecider, stream))) continue;
        const number = await allocateNotaFiscalNumber(this.options.writePath, invoiceId, instant);
        if (number === null) continue;
        await send(
          'issue-notas-fiscais',
          invoiceDecider,
          stream,
          { type: 'IssueNotaFiscal', data: { number } },
          invoiceId,
        );
      }
    }

    // 7. Tickets answered and idle for 72 hours are closed.
    await this.each(
      ticketsAnsweredBy(db, new Date(Date.parse(instant) - IDLE_TICKET_MS).toISOString()),
      async (ticketId) => {
        const stream = ticketStream(ticketId);
        const ticket = await state(ticketDecider, stream);
        if (!isIdleCloseDue(ticket, instant)) return;
        await send(
          'close-idle-tickets',
          ticketDecider,
          stream,
          { type: 'CloseIdleTicket', data: {} },
          `${ticketId}:${ticket.answeredAt}`,
        );
      },
    );

    // 8. Invitations past their 168 hours expire.
    for (const { contractId, invitationId } of await invitationsExpiringBy(db, instant)) {
      await send(
        'expire-invitations',
        contractDecider,
        contractStream(contractId),
        { type: 'ExpireInvitation', data: { invitationId } },
        invitationId,
      );
    }
    return { at: instant, day, counts, ...(position === undefined ? {} : { position }) };
  }

  /** Waits until the billing agenda has applied the whole log as it is now. */
  private async waitForAgenda(): Promise<void> {
    const head = await this.options.store.headPosition();
    if (head === undefined) return;
    const deadline = Date.now() + (this.options.catchUpTimeoutMs ?? 30_000);
    for (;;) {
      const row = await this.options.db
        .selectFrom('projection_checkpoints')
        .select('position')
        .where('name', '=', billingAgendaProjection.name)
        .where('version', '=', billingAgendaProjection.version)
        .executeTakeFirst();
      if (row?.position != null && row.position >= head) return;
      if (Date.now() > deadline) throw new BillingAgendaBehindError(head);
      await pause(20);
    }
  }

  /** Runs `task` on every id the pages give, a few at a time. */
  private async each(
    ids: AsyncIterable<readonly string[]>,
    task: (id: string) => Promise<void>,
  ): Promise<void> {
    for await (const page of ids) {
      let next = 0;
      const worker = async () => {
        while (next < page.length) await task(page[next++]!);
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, page.length) }, worker));
    }
  }
}

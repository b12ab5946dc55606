import type { Kysely } from 'kysely';
import {
  addDays,
  commandsForAddonsOnParentEvent,
  invoiceDecider,
  invoiceStream,
  isLive,
  issuePeriodInvoice,
  localDate,
  periodInvoiceId,
  periodStartsUntil,
  serviceDecider,
  serviceStream,
  type InvoiceState,
  type LocalDate,
  type OrderedServiceState,
  type ServiceCommand,
  type ServiceEvent,
  type ServiceState,
} from '@app/domain';
import type { Position } from '@app/event-store';
import type { CheckpointDatabase, LogFollower } from '@app/projection-runner';
import { addonIdsOf, billingAgendaProjection, type BillingAgendaDatabase } from '@app/projections';
import type { Reactor, ReactorContext, RuleCommand } from './reactor';
import { reactorCheckpoint } from './reactor-runner';

/** The rules, as named in the `system` actor of every event they cause and in their command ids. */
export const REACTOR_RULES = {
  firstInvoice: 'issue-first-invoice',
  confirmPayment: 'confirm-payment',
  reactivateOnPayment: 'reactivate-on-payment',
  cancelInvoicesOfCancelledService: 'cancel-invoices-of-cancelled-service',
  addonsFollowParent: 'addons-follow-parent',
} as const;

/** How far ahead of a day the billing clock may already have issued invoices: its lead plus a cycle, at most. */
const INVOICE_HORIZON_DAYS = 400;

const isUnpaid = (invoice: InvoiceState): boolean =>
  invoice.status === 'open' || invoice.status === 'overdue';

const servicesBilledBy = (invoice: InvoiceState): readonly string[] =>
  invoice.status === 'none' ? [] : [...new Set(invoice.lines.map((line) => line.serviceId))];

/** The invoices of a service (one per period, by id) from its order up to `until`, with their states. */
const invoicesOf = async (
  context: ReactorContext,
  service: OrderedServiceState,
  until: LocalDate,
): Promise<readonly InvoiceState[]> => {
  const states: InvoiceState[] = [];
  for (const start of periodStartsUntil(service, until)) {
    const state = await context.stateOf(
      invoiceDecider,
      invoiceStream(periodInvoiceId(service.serviceId, start)),
    );
    if (state.status !== 'none') states.push(state);
  }
  return states;
};

/** Service ordered → its first invoice, issued at once and due the day of the order. */
export const firstInvoiceReactor: Reactor = {
  name: 'first-invoice',
  handles: ['ServiceOrdered'],
  react: async (context) => {
    const { serviceId } = context.event.data as { serviceId: string };
    const service = await context.stateOf(serviceDecider, serviceStream(serviceId));
    if (service.status === 'none') return;
    const start = localDate(service.orderedAt);
    const command = issuePeriodInvoice(service, start, {
      now: context.event.metadata.occurredAt,
      actor: { kind: 'system', rule: REACTOR_RULES.firstInvoice },
    });
    await context.send(REACTOR_RULES.firstInvoice, invoiceDecider, invoiceStream(command.data.invoiceId), {
      type: 'IssueInvoice',
      data: command.data,
    });
  },
};

/**
 * Invoice paid → each service it bills records the payment (the first one confirms a pending service; each paid
 * invoice moves the next due date one cycle, once however often it is paid); then a service suspended for
 * non-payment is reactivated once none of its invoices is left unpaid past its due date. A suspension by staff is
 * never lifted here: the service decider refuses it.
 */
export const paymentsReactor: Reactor = {
  name: 'payments',
  handles: ['InvoicePaid'],
  react: async (context) => {
    const { invoiceId, paidAt } = context.event.data as { invoiceId: string; paidAt: string };
    const invoice = await context.stateOf(invoiceDecider, invoiceStream(invoiceId));
    const today = localDate(context.event.metadata.occurredAt);
    for (const serviceId of servicesBilledBy(invoice)) {
      const stream = serviceStream(serviceId);
      await context.send(REACTOR_RULES.confirmPayment, serviceDecider, stream, {
        type: 'RecordInvoicePaid',
        data: { invoiceId, paidAt },
      });
      const service = await context.stateOf(serviceDecider, stream);
      if (service.status !== 'suspended' || service.suspension.reason !== 'non_payment') continue;
      const invoices = await invoicesOf(context, service, addDays(today, -1));
      const overdueRemains = invoices.some(
        (other) => isUnpaid(other) && other.status !== 'none' && other.dueDate < today,
      );
      if (overdueRemains) continue;
      await context.send(REACTOR_RULES.reactivateOnPayment, serviceDecider, stream, {
        type: 'ReactivateService',
        data: { by: 'payment', noOverdueInvoiceRemains: true },
      });
    }
  },
};

/** Service cancelled → each of its unpaid invoices that bills only cancelled services is cancelled. */
export const cancellationsReactor: Reactor = {
  name: 'cancellations',
  handles: ['ServiceCancelled'],
  react: async (context) => {
    const { serviceId } = context.event.data as { serviceId: string };
    const service = await context.stateOf(serviceDecider, serviceStream(serviceId));
    if (service.status === 'none') return;
    const until = addDays(localDate(context.event.metadata.occurredAt), INVOICE_HORIZON_DAYS);
    for (const invoice of await invoicesOf(context, service, until)) {
      if (!isUnpaid(invoice) || invoice.status === 'none') continue;
      const states: ServiceState[] = [];
      for (const other of servicesBilledBy(invoice)) {
        states.push(
          other === serviceId ? service : await context.stateOf(serviceDecider, serviceStream(other)),
        );
      }
      if (states.some((state) => state.status !== 'cancelled')) continue;
      await context.send(
        REACTOR_RULES.cancelInvoicesOfCancelledService,
        invoiceDecider,
        invoiceStream(invoice.invoiceId),
        { type: 'CancelInvoice', data: { reason: `Serviço ${serviceId} cancelado` } },
      );
    }
  },
};

/** How long the add-ons rule waits for the agenda to reach a parent's event before it tries again later. */
const AGENDA_WAIT_MS = 10_000;

/**
 * Add-ons follow their parent: suspended, reactivated, cancelled and terminated with it. Which add-ons a parent
 * has is read from the billing agenda once it has reached the parent's event; what each one is sent is decided
 * on its own state (see `commandsForAddonsOnParentEvent`).
 */
const ADDONS_REACTOR_NAME = 'addons-follow-parent';
const ADDONS_HANDLES = ['ServiceSuspended', 'ServiceReactivated', 'ServiceCancelled', 'ServiceTerminated'];

export const addonsReactor = (db: Kysely<BillingAgendaDatabase & CheckpointDatabase>): Reactor => {
  const agendaReached = async (position: Position): Promise<void> => {
    const deadline = Date.now() + AGENDA_WAIT_MS;
    for (;;) {
      const row = await db
        .selectFrom('projection_checkpoints')
        .select('position')
        .where('name', '=', billingAgendaProjection.name)
        .where('version', '=', billingAgendaProjection.version)
        .executeTakeFirst();
      if (row?.position != null && row.position >= position) return;
      if (Date.now() > deadline) throw new Error(`The billing agenda has not reached ${position} yet`);
      // A timer, not pg_sleep: on PGlite a sleeping statement would stall the very runner it waits for.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    name: ADDONS_REACTOR_NAME,
    handles: ADDONS_HANDLES,
    react: async (context) => {
      const event = { type: context.event.type, data: context.event.data } as ServiceEvent;
      await agendaReached(context.event.position);
      const addonIds = await addonIdsOf(db, event.data.serviceId);
      if (addonIds.length === 0) return;
      const addons: ServiceState[] = [];
      for (const id of addonIds) addons.push(await context.stateOf(serviceDecider, serviceStream(id)));
      for (const { serviceId, command } of commandsForAddonsOnParentEvent(event, addons.filter(isLive))) {
        await context.send(REACTOR_RULES.addonsFollowParent, serviceDecider, serviceStream(serviceId), {
          type: command.type,
          data: command.data,
        } as RuleCommand<ServiceCommand>);
      }
    },
  };
};

/** The names of {@link billingReactors}, for whoever waits on their checkpoints without running them. */
export const BILLING_REACTOR_NAMES: readonly string[] = [
  firstInvoiceReactor.name,
  paymentsReactor.name,
  cancellationsReactor.name,
  ADDONS_REACTOR_NAME,
];

/**
 * The billing reactors as operators see them beside the read models (the CLI's `projections status`,
 * GET /admin/projections, /metrics): their checkpoint rows and the events that count towards their lag.
 */
export const BILLING_REACTOR_FOLLOWERS: readonly LogFollower[] = [
  firstInvoiceReactor,
  paymentsReactor,
  cancellationsReactor,
  { name: ADDONS_REACTOR_NAME, handles: ADDONS_HANDLES },
].map((reactor) => ({ ...reactorCheckpoint(reactor), handles: reactor.handles, kind: 'reactor' }));

/** Every reactor of the billing rules, in the order the worker starts them. */
export const billingReactors = (
  db: Kysely<BillingAgendaDatabase & CheckpointDatabase>,
): readonly Reactor[] => [firstInvoiceReactor, paymentsReactor, cancellationsReactor, addonsReactor(db)];

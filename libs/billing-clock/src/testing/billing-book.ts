import type { Kysely } from 'kysely';
import { AggregateCache, handleCommand, loadCurrentState, type WritePath } from '@app/command-handling';
import {
  invoiceDecider,
  invoiceStream,
  serviceDecider,
  serviceStream,
  type Actor,
  type BillingCycle,
  type Command,
  type Decider,
  type Message,
  type InvoiceState,
  type ServiceCommand,
  type ServiceKind,
  type ServiceState,
} from '@app/domain';
import { PostgresEventStore, type Position } from '@app/event-store';
import type { CheckpointDatabase } from '@app/projection-runner';
import type { BillingAgendaDatabase } from '@app/projections';
import { migrateToLatest, type DatabaseConnection } from '@app/read-store';
import { BillingAutomation } from '../billing-automation';

/** A staff member of the billing team, for suspensions, refunds and payments recorded by hand. */
export const STAFF: Actor = {
  kind: 'user',
  userId: 'staff-1',
  email: 'staff@example.com',
  roles: ['billing'],
};
/** The customer who orders and cancels. */
export const CUSTOMER: Actor = {
  kind: 'user',
  userId: 'user-1',
  email: 'cliente@example.com',
  roles: ['customer'],
};
const GATEWAY: Actor = { kind: 'system', rule: 'payment-gateway' };

/** An instant at noon in Sao Paulo (15:00 UTC) on `day`. */
export const noon = (day: string): string => `${day}T15:00:00.000Z`;

/**
 * A book of services on a real database, driven the way the product drives it: commands through the write
 * path, the billing agenda and reactors settled after each, and the billing clock run as of chosen instants.
 */
export class BillingBook {
  readonly writePath: WritePath;
  readonly automation: BillingAutomation;
  private sequence = 0;

  private constructor(
    readonly connection: DatabaseConnection,
    readonly store: PostgresEventStore,
  ) {
    this.writePath = { eventStore: store, cache: new AggregateCache() };
    this.automation = new BillingAutomation({
      db: connection.db as Kysely<BillingAgendaDatabase & CheckpointDatabase>,
      store,
      writePath: this.writePath,
    });
  }

  static async open(connection: DatabaseConnection): Promise<BillingBook> {
    await migrateToLatest(connection.db as Kysely<unknown>);
    const store = PostgresEventStore.open(connection.db as Kysely<unknown>, {
      directQuery: connection.query,
    });
    return new BillingBook(connection, store);
  }

  async close(): Promise<void> {
    await this.automation.stop();
    await this.store.close();
  }

  private service(id: string, command: Omit<ServiceCommand, 'metadata'>, at: string, actor: Actor) {
    return this.send(serviceDecider, serviceStream(id), command, at, actor);
  }

  /** Sends `command` to `streamName` as `actor` at `at`, then settles what the automation does with it. */
  async send<C extends Command, E extends Message, S>(
    decider: Decider<C, E, S>,
    streamName: string,
    command: Omit<C, 'metadata'>,
    at: string,
    actor: Actor,
  ): Promise<void> {
    const { position } = await handleCommand(this.writePath, decider, streamName, {
      command: { ...command, metadata: { now: at, actor } } as C,
      commandId: `test-${++this.sequence}`,
    });
    await this.automation.settle(position);
  }

  /** The current state of any aggregate. */
  async stateOf<C extends Command, E extends Message, S>(decider: Decider<C, E, S>, streamName: string) {
    return (await loadCurrentState(this.writePath, decider, streamName)).state;
  }

  async order(
    id: string,
    at: string,
    options: Readonly<{
      kind?: ServiceKind;
      cycle?: BillingCycle;
      priceCents?: number;
      parent?: { id: string; kind: ServiceKind };
      provision?: boolean;
    }> = {},
  ): Promise<void> {
    await this.service(
      id,
      {
        type: 'OrderService',
        data: {
          serviceId: id,
          contractId: 'ctr-1',
          kind: options.kind ?? 'shared_hosting',
          plan: `Plano ${id}`,
          billingCycle: options.cycle ?? 'monthly',
          priceCents: options.priceCents ?? 1000,
          ...(options.parent ? { parentServiceId: options.parent.id, parentKind: options.parent.kind } : {}),
        },
      },
      at,
      CUSTOMER,
    );
    if (options.provision !== false) {
      await this.service(id, { type: 'ProvisionService', data: { instanceId: 'srv-1' } }, at, STAFF);
    }
  }

  /** The gateway reports a payment of the invoice's whole amount, under `transactionId`. */
  async pay(invoiceId: string, at: string, transactionId = `tx-${invoiceId}`): Promise<boolean> {
    const invoice = await this.invoice(invoiceId);
    if (invoice.status === 'none') throw new Error(`No invoice ${invoiceId}`);
    let position: Position | undefined;
    try {
      ({ position } = await handleCommand(this.writePath, invoiceDecider, invoiceStream(invoiceId), {
        command: {
          type: 'RecordPayment',
          data: { transactionId, amountCents: invoice.totalCents, method: 'boleto', paidAt: at },
          metadata: { now: at, actor: GATEWAY },
        },
        commandId: `payment:${transactionId}`,
      }));
      return true;
    } catch {
      return false;
    } finally {
      await this.automation.settle(position);
    }
  }

  suspendByStaff = (id: string, at: string) =>
    this.service(id, { type: 'SuspendService', data: { reason: 'abuse', note: 'spam' } }, at, STAFF);

  liftByStaff = (id: string, at: string) =>
    this.service(id, { type: 'ReactivateService', data: { by: 'staff', note: 'resolvido' } }, at, STAFF);

  cancel = (id: string, at: string, when: 'immediate' | 'end_of_period') =>
    this.service(
      id,
      { type: 'CancelService', data: { when, reason: 'não preciso mais', protocolNumber: `P-${id}` } },
      at,
      CUSTOMER,
    );

  async refund(invoiceId: string, at: string): Promise<void> {
    const { position } = await handleCommand(this.writePath, invoiceDecider, invoiceStream(invoiceId), {
      command: { type: 'RefundInvoice', data: { reason: 'pedido' }, metadata: { now: at, actor: STAFF } },
      commandId: `refund:${invoiceId}`,
    });
    await this.automation.settle(position);
  }

  /** Runs the billing clock as of `at` and settles what it caused. */
  run = (at: string) => this.automation.run(at);

  async serviceState(id: string): Promise<ServiceState> {
    return (await loadCurrentState(this.writePath, serviceDecider, serviceStream(id))).state;
  }

  async invoice(id: string): Promise<InvoiceState> {
    return (await loadCurrentState(this.writePath, invoiceDecider, invoiceStream(id))).state;
  }

  /** Every event of the log, for "nothing changed" checks. */
  async logLength(): Promise<number> {
    let count = 0;
    let after: Position | undefined;
    for (;;) {
      const page = await this.store.readAll({ ...(after ? { after } : {}), maxCount: 1000 });
      count += page.length;
      if (page.length < 1000) return count;
      after = page[page.length - 1]!.position;
    }
  }
}

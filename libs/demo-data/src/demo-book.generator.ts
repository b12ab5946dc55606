import type { Kysely } from 'kysely';
import { BillingAutomation } from '@app/billing-clock';
import {
  deterministicUuid,
  fixedClock,
  handleCommand,
  type Clock,
  type WritePath,
} from '@app/command-handling';
import {
  addDays,
  addMonthsClamped,
  callbackDecider,
  callbackStream,
  contractDecider,
  contractStream,
  daysBetween,
  DomainError,
  instanceDecider,
  instanceStream,
  invoiceDecider,
  invoiceStream,
  isAdministrativeSuspension,
  serviceDecider,
  serviceStream,
  ticketDecider,
  ticketStream,
  type Actor,
  type BillingCycle,
  type Command,
  type Decider,
  type InvoiceEvent,
  type InvoiceState,
  type LocalDate,
  type Message,
  type PaymentMethodKind,
  type Permission,
  type ServiceCommand,
  type ServiceEvent,
  type ServiceKind,
  type ServiceState,
} from '@app/domain';
import { streamCategory, type EventStore, type Position, type RecordedEvent } from '@app/event-store';
import type { CheckpointDatabase, ProjectionLease } from '@app/projection-runner';
import type { BillingAgendaDatabase } from '@app/projections';
import type { ReactorRefusal } from '@app/reactors';
import {
  CANCELLATION_REASONS,
  demoCnpj,
  demoCpf,
  demoHolder,
  demoPerson,
  demoPhone,
  INCIDENT_TITLES,
  TICKET_SUBJECTS,
} from './demo-people';
import { SeededRandom } from './seeded-random';

/** What to generate: how many contracts, over how many months from `startDate`, from which seed. */
export type DemoBookOptions = Readonly<{
  contracts: number;
  months: number;
  seed: number;
  /** The first Sao Paulo day simulated; the walk stops the day before `startDate + months`. */
  startDate: LocalDate;
  /** The clock every command reads its time from; the generator moves it forward as it walks. */
  clock?: Clock & { set: (instant: Date | string) => void };
  /** The owner of the first contract (the demo customer whose token `npm start` prints). */
  firstOwner?: DemoUser;
  /** Told of each command a decider refused (a bug in the generator's reading of the rules). */
  onRefusal?: (commandType: string, error: DomainError) => void;
  /** Told of each command a billing reactor sent that its aggregate refused (something a customer should not do). */
  onRuleRefusal?: (refusal: ReactorRefusal) => void;
  /** Days before a period starts on which the billing clock issues its invoice (BILLING_INVOICE_LEAD_DAYS). */
  invoiceLeadDays?: number;
  /** Who follows the billing agenda among processes on one database (an advisory lock on a server). */
  agendaLease?: ProjectionLease;
  /** Called after each simulated day. */
  onDay?: (done: number, total: number) => void;
}>;

/** A login of the demo book. */
export type DemoUser = Readonly<{ userId: string; email: string }>;

/** What the billing agenda and the checkpoints of the billing automation are kept in. */
export type DemoBookDatabase = BillingAgendaDatabase & CheckpointDatabase;

/**
 * What the generator wrote, and what the billing clock and reactors did about it as the log tells: invoices,
 * suspensions, reactivations and terminations are counted from their events.
 */
export type DemoBookReport = {
  days: number;
  /** The commands the generator sent (customers, staff, the payment gateway); not those of the system rules. */
  commands: number;
  /** Commands a decider refused: a generator that knows the rules sends none. */
  refused: number;
  /** Commands of the billing reactors that a decider refused: a book whose customers behave causes none. */
  ruleRefusals: number;
  contracts: number;
  users: number;
  contacts: number;
  services: Record<ServiceKind, number>;
  cycles: Record<BillingCycle, number>;
  invoices: number;
  paidOnTime: number;
  paidLate: number;
  unpaid: number;
  suspensions: number;
  administrativeSuspensions: number;
  reactivations: number;
  cancellations: number;
  terminations: number;
  tickets: number;
  callbacks: number;
  incidents: number;
};

/** Staff of the demo book: the same ids as the tokens `npm start` prints. */
const ADMIN: Actor = { kind: 'user', userId: 'demo-admin', email: 'admin@demo.example', roles: ['admin'] };
const SUPPORT: Actor = {
  kind: 'user',
  userId: 'demo-support',
  email: 'support@demo.example',
  roles: ['support'],
};
const BILLING: Actor = {
  kind: 'user',
  userId: 'demo-billing',
  email: 'billing@demo.example',
  roles: ['billing'],
};
const system = (rule: string): Actor => ({ kind: 'system', rule });
const asUser = (user: DemoUser): Actor => ({ kind: 'user', ...user, roles: ['customer'] });

/** How a contract pays its invoices. */
type PayerProfile = 'punctual' | 'late' | 'delinquent' | 'abandoning';

const KIND_WEIGHTS: readonly (readonly [ServiceKind, number])[] = [
  ['shared_hosting', 42],
  ['domain', 24],
  ['addon', 10],
  ['reseller_hosting', 7],
  ['cloud_server', 12],
  ['dedicated_server', 5],
];
const CYCLE_WEIGHTS: readonly (readonly [BillingCycle, number])[] = [
  ['monthly', 50],
  ['quarterly', 15],
  ['semiannual', 10],
  ['annual', 25],
];
const PRICE_RANGE: Readonly<Record<ServiceKind, readonly [number, number]>> = {
  shared_hosting: [1_490, 5_990],
  reseller_hosting: [9_990, 19_990],
  cloud_server: [8_990, 39_990],
  dedicated_server: [49_990, 149_990],
  domain: [333, 583],
  addon: [490, 1_990],
};
const PLANS: Readonly<Record<ServiceKind, readonly string[]>> = {
  shared_hosting: ['Plano P', 'Plano M', 'Plano Turbo'],
  reseller_hosting: ['Revenda 30', 'Revenda 60'],
  cloud_server: ['Cloud 2 vCPU', 'Cloud 4 vCPU', 'Cloud 8 vCPU'],
  dedicated_server: ['Dedicado Xeon', 'Dedicado EPYC'],
  domain: ['.com.br', '.com', '.net.br'],
  addon: ['IP dedicado', 'Backup diário', 'SSL Wildcard'],
};
/** The first contracts show each habit, whatever the seed: a small demo book has them all. */
const SHOWCASE_PROFILES: readonly PayerProfile[] = ['late', 'abandoning', 'punctual', 'delinquent'];

const MEMBER_PERMISSIONS: readonly (readonly Permission[])[] = [
  ['billing'],
  ['tickets', 'services.view'],
  ['services.view', 'services.manage', 'services.sso', 'domains.view', 'tickets'],
  ['billing', 'communications', 'main-account'],
];

type DemoContract = {
  contractId: string;
  owner: DemoUser;
  members: DemoUser[];
  phones: string[];
  profile: PayerProfile;
  method: PaymentMethodKind;
  serviceIds: string[];
  /** Invoices paid by an abandoning payer before it stops paying. */
  paymentsLeft: number;
};

type DemoService = { contract: DemoContract; state: ServiceState };
type DemoInvoice = { contract: DemoContract; state: InvoiceState };

/** Something the simulation does at a minute of a Sao Paulo day. */
type Action = Readonly<{ minute: number; run: () => Promise<void> }>;

/** The instant of `minute` minutes after the start of Sao Paulo day `date` (UTC-3 since 2019). */
const instantOf = (date: LocalDate, minute: number): string =>
  new Date(Date.parse(`${date}T00:00:00.000-03:00`) + minute * 60_000).toISOString();

const BILLING_CLOCK_MINUTE = 6 * 60;
const LOG_PAGE = 1_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes a realistic book of business through the real write path: every contract, user, contact, service,
 * order, payment, cancellation, staff suspension, ticket, call-back and incident is a domain command handled by
 * `handleCommand`, stamped with the injected clock as it walks day by day, and sent by whoever sends it in the
 * product (the customer, staff or the payment gateway). What the system does about them is done by the system:
 * the real billing reactors (first invoice of an order, services following payments, reactivation, invoices of
 * cancelled services, add-ons following their parent) settle after the commands whose consequences the walk
 * needs, and the real billing clock runs every day at 06:00 (period invoices, overdue marks, suspensions,
 * terminations, scheduled cancellations, notas fiscais, idle tickets, expired invitations). The generator learns
 * what they did from the log, folding service and invoice events with the deciders' `evolve`: an invoice issued
 * gets its payment planned by the payer's habits. `db` keeps the billing agenda and the checkpoints.
 * Deterministic: the same options give the same commands, ids and times, so the same events on an empty store.
 * (On a store that already holds the book, the repeated commands answer with today's states, not those of their
 * day, so a second run may add events: seed an empty store, as `seedDemoBookIfEmpty` does.)
 */
export const generateDemoBook = async (
  writePath: WritePath,
  db: Kysely<DemoBookDatabase>,
  options: DemoBookOptions,
): Promise<DemoBookReport> => {
  const generator = new DemoBookGenerator(writePath, db, options);
  return generator.run();
};

class DemoBookGenerator {
  private readonly random: SeededRandom;
  private readonly clock: Clock & { set: (instant: Date | string) => void };
  private readonly agenda = new Map<LocalDate, Action[]>();
  private readonly contracts: DemoContract[] = [];
  private readonly contractsById = new Map<string, DemoContract>();
  private readonly services = new Map<string, DemoService>();
  private readonly invoices = new Map<string, DemoInvoice>();
  private readonly automation: BillingAutomation;
  private readonly store: EventStore;
  /** The last event of the log folded into the states above. */
  private lastRead: Position | undefined;
  private readonly instances: Record<'shared' | 'cloud' | 'dedicated', string[]> = {
    shared: [],
    cloud: [],
    dedicated: [],
  };
  private commandCount = 0;
  private today: LocalDate;
  readonly report: DemoBookReport;

  constructor(
    private readonly writePath: WritePath,
    db: Kysely<DemoBookDatabase>,
    private readonly options: DemoBookOptions,
  ) {
    this.random = new SeededRandom(options.seed);
    this.today = options.startDate;
    this.clock = options.clock ?? fixedClock(instantOf(options.startDate, 0));
    this.store = writePath.eventStore;
    this.automation = new BillingAutomation({
      db,
      store: this.store,
      writePath,
      // One command at a time: the rules append in the same order on every run, so the book is the same log.
      clockConcurrency: 1,
      onRefusal: (refusal) => {
        this.report.ruleRefusals++;
        this.options.onRuleRefusal?.(refusal);
      },
      ...(options.invoiceLeadDays === undefined ? {} : { invoiceLeadDays: options.invoiceLeadDays }),
      ...(options.agendaLease === undefined ? {} : { lease: options.agendaLease }),
    });
    this.report = {
      days: 0,
      commands: 0,
      refused: 0,
      ruleRefusals: 0,
      contracts: 0,
      users: 0,
      contacts: 0,
      services: {
        shared_hosting: 0,
        reseller_hosting: 0,
        cloud_server: 0,
        dedicated_server: 0,
        domain: 0,
        addon: 0,
      },
      cycles: { monthly: 0, quarterly: 0, semiannual: 0, annual: 0 },
      invoices: 0,
      paidOnTime: 0,
      paidLate: 0,
      unpaid: 0,
      suspensions: 0,
      administrativeSuspensions: 0,
      reactivations: 0,
      cancellations: 0,
      terminations: 0,
      tickets: 0,
      callbacks: 0,
      incidents: 0,
    };
  }

  async run(): Promise<DemoBookReport> {
    try {
      return await this.walk();
    } finally {
      await this.automation.stop();
    }
  }

  private async walk(): Promise<DemoBookReport> {
    const { startDate, months, contracts } = this.options;
    const endDate = addMonthsClamped(startDate, months);
    const totalDays = daysBetween(startDate, endDate);
    // Contracts arrive over the first two thirds of the period, so the book has old and new customers.
    const arrivalSpan = Math.max(1, Math.floor((totalDays * 2) / 3));
    for (let index = 0; index < contracts; index++) {
      const day = addDays(startDate, Math.floor((index * arrivalSpan) / Math.max(1, contracts)));
      this.schedule(day, this.random.int(9 * 60, 20 * 60), () => this.onboardContract(index));
    }
    await this.at(startDate, 8 * 60);
    await this.registerInstances();
    for (let day = startDate; day < endDate; day = addDays(day, 1)) {
      this.today = day;
      this.schedule(day, BILLING_CLOCK_MINUTE, () =>
        this.runBillingClock(instantOf(day, BILLING_CLOCK_MINUTE)),
      );
      this.planDay(day);
      // Actions may plan more for the same day (a payment an hour after an order): take the earliest each time.
      for (let next = this.nextAction(day); next !== undefined; next = this.nextAction(day)) {
        await this.at(day, Math.max(next.minute, this.minuteNow()));
        await next.run();
      }
      this.agenda.delete(day);
      this.report.days++;
      this.options.onDay?.(this.report.days, totalDays);
    }
    for (const invoice of this.invoices.values()) {
      if (invoice.state.status === 'open' || invoice.state.status === 'overdue') this.report.unpaid++;
    }
    this.report.commands = this.commandCount;
    return this.report;
  }

  // --- the write path --------------------------------------------------------------------------------------

  private async at(day: LocalDate, minute: number): Promise<void> {
    this.clock.set(instantOf(day, Math.min(minute, 24 * 60 - 1)));
  }

  /** Takes the day's earliest planned action (the first planned among those of the same minute). */
  private nextAction(day: LocalDate): Action | undefined {
    const actions = this.agenda.get(day);
    if (!actions || actions.length === 0) return undefined;
    let earliest = 0;
    actions.forEach((action, index) => {
      if (action.minute < actions[earliest]!.minute) earliest = index;
    });
    return actions.splice(earliest, 1)[0];
  }

  private schedule(day: LocalDate, minute: number, run: () => Promise<void>): void {
    // Past midnight, an action belongs to the next day's walk.
    const date = addDays(day, Math.floor(minute / (24 * 60)));
    const actions = this.agenda.get(date) ?? [];
    actions.push({ minute: minute % (24 * 60), run });
    this.agenda.set(date, actions);
  }

  private id(...parts: readonly (string | number)[]): string {
    return deterministicUuid('demo', String(this.options.seed), ...parts.map(String));
  }

  /** Sends one command through the write path as `actor`, now; a refusal is counted, not thrown. */
  private async send<C extends Command, E extends Message, S>(
    decider: Decider<C, E, S>,
    stream: string,
    command: Readonly<{ type: C['type']; data: C['data'] }>,
    actor: Actor,
  ): Promise<{ state: S; position: Position | undefined } | undefined> {
    this.commandCount++;
    const commandId = this.id('command', this.commandCount);
    try {
      const result = await handleCommand(this.writePath, decider, stream, {
        command: { ...command, metadata: { now: this.clock.now().toISOString(), actor } } as C,
        commandId,
      });
      return { state: result.state, position: result.position };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.report.refused++;
      this.options.onRefusal?.(command.type, error);
      return undefined;
    }
  }

  /**
   * Sends a command to a service; with `settle`, the billing reactors act on it before the walk goes on. Either
   * way the service's new state is read from the log, as is what the reactors did.
   */
  private async toService(
    serviceId: string,
    command: Omit<ServiceCommand, 'metadata'>,
    actor: Actor,
    settle: 'settle' | 'no-reaction',
  ) {
    const result = await this.send(serviceDecider, serviceStream(serviceId), command, actor);
    if (result) await this.follow(result.position, settle);
    return result;
  }

  private async follow(position: Position | undefined, settle: 'settle' | 'no-reaction'): Promise<void> {
    if (settle === 'settle') await this.automation.settle(position);
    await this.readLog(position);
  }

  /** The day's run of the real billing clock, the reactors settled after it; what it did comes from the log. */
  private async runBillingClock(at: string): Promise<void> {
    await this.automation.run(at);
    await this.readLog();
  }

  // --- what the log says -----------------------------------------------------------------------------------

  /** Folds the log after the last event read into the services' and invoices' states, at least up to `through`. */
  private async readLog(through?: Position): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({
        ...(this.lastRead === undefined ? {} : { after: this.lastRead }),
        maxCount: LOG_PAGE,
      });
      for (const event of page) this.observe(event);
      this.lastRead = page.at(-1)?.position ?? this.lastRead;
      if (page.length === LOG_PAGE) continue;
      if (through === undefined || (this.lastRead !== undefined && this.lastRead >= through)) return;
      // An older transaction still in flight (a projection's batch) holds the readable log back a moment.
      await pause(2);
    }
  }

  private observe(event: RecordedEvent): void {
    const category = streamCategory(event.streamName);
    if (category === 'service') this.observeService({ type: event.type, data: event.data } as ServiceEvent);
    if (category === 'invoice') {
      this.observeInvoice(event.streamName.slice(category.length + 1), {
        type: event.type,
        data: event.data,
      } as InvoiceEvent);
    }
  }

  private observeService(event: ServiceEvent): void {
    const service = this.services.get(event.data.serviceId);
    if (!service) return;
    service.state = serviceDecider.evolve(service.state, event);
    switch (event.type) {
      case 'ServiceSuspended':
        if (event.data.reason === 'non_payment') this.report.suspensions++;
        else if (isAdministrativeSuspension(event.data.reason)) this.report.administrativeSuspensions++;
        return;
      case 'ServiceReactivated':
        // An add-on coming back with its parent is the same reactivation, not another.
        if (event.data.by !== 'parent') this.report.reactivations++;
        return;
      case 'ServiceTerminated':
        if (event.data.cause === 'retention_elapsed') this.report.terminations++;
        return;
      default:
        return;
    }
  }

  private observeInvoice(invoiceId: string, event: InvoiceEvent): void {
    if (event.type === 'InvoiceIssued') {
      const contract = this.contractsById.get(event.data.contractId);
      if (!contract) return;
      const invoice: DemoInvoice = {
        contract,
        state: invoiceDecider.evolve(invoiceDecider.initialState(), event),
      };
      this.invoices.set(invoiceId, invoice);
      this.report.invoices++;
      this.planPayment(invoiceId, invoice);
      return;
    }
    const invoice = this.invoices.get(invoiceId);
    if (invoice) invoice.state = invoiceDecider.evolve(invoice.state, event);
  }

  // --- the fleet -------------------------------------------------------------------------------------------

  private async registerInstances(): Promise<void> {
    const count = Math.max(2, Math.ceil(this.options.contracts / 15));
    const fleet: ['shared' | 'cloud' | 'dedicated', number][] = [
      ['shared', count],
      ['cloud', Math.max(1, Math.ceil(count / 2))],
      ['dedicated', 1],
    ];
    for (const [kind, many] of fleet) {
      for (let n = 1; n <= many; n++) {
        const instanceId = this.id('instance', kind, n);
        const result = await this.send(
          instanceDecider,
          instanceStream(instanceId),
          {
            type: 'RegisterInstance',
            data: {
              instanceId,
              name: `${kind}-${String(n).padStart(2, '0')}.demo`,
              kind,
              datacenter: n % 2 === 0 ? 'Rio de Janeiro' : 'São Paulo',
            },
          },
          ADMIN,
        );
        if (result) this.instances[kind].push(instanceId);
      }
    }
  }

  // --- customers -------------------------------------------------------------------------------------------

  private async onboardContract(index: number): Promise<void> {
    const random = this.random;
    const holder = demoHolder(random, index);
    const owner: DemoUser =
      index === 0 && this.options.firstOwner
        ? this.options.firstOwner
        : { userId: this.id('user', index, 0), email: demoPerson(random, holder.domain, 0).email };
    const contractId = this.id('contract', index);
    const phones = [demoPhone(random), ...(random.chance(0.4) ? [demoPhone(random)] : [])];
    const method = random.weighted<PaymentMethodKind>([
      ['boleto', 55],
      ['credit_card', 35],
      ['direct_debit', 10],
    ]);
    const opened = await this.send(
      contractDecider,
      contractStream(contractId),
      {
        type: 'OpenContract',
        data: {
          contractId,
          ownerName: holder.company ? demoPerson(random, holder.domain, 0).name : holder.holderName,
          holderName: holder.holderName,
          document: holder.company ? demoCnpj(random) : demoCpf(random),
          phones,
          paymentMethod: paymentMethodInput(method, random, this.today),
        },
      },
      asUser(owner),
    );
    if (!opened) return;
    const contract: DemoContract = {
      contractId,
      owner,
      members: [],
      phones,
      profile:
        SHOWCASE_PROFILES[index] ??
        random.weighted<PayerProfile>([
          ['punctual', 62],
          ['late', 24],
          ['delinquent', 9],
          ['abandoning', 5],
        ]),
      method,
      serviceIds: [],
      // The second contract stops paying at its first renewal, so even a small book has a suspension.
      paymentsLeft: index === 1 ? 0 : random.int(1, 4),
    };
    this.contracts.push(contract);
    this.contractsById.set(contractId, contract);
    this.report.contracts++;
    this.report.users++;
    await this.addContacts(contract, holder.domain);
    await this.inviteMembers(contract, holder.domain, index);
    const services = random.weighted([
      [1, 45],
      [2, 30],
      [3, 17],
      [4, 8],
    ]);
    for (let n = 0; n < services; n++) await this.orderService(contract, index === 1 && n === 0);
  }

  private async addContacts(contract: DemoContract, domain: string): Promise<void> {
    const count = this.random.int(1, 3);
    const categories = [['billing'], ['technical'], ['billing', 'commercial'], ['technical', 'commercial']];
    for (let n = 0; n < count; n++) {
      // Some contracts receive their notices only on their own hosted domain, others on an outside mailbox.
      const mailbox = this.random.chance(0.5) ? domain : this.random.pick(['gmail.com', 'outlook.com']);
      const person = demoPerson(this.random, mailbox, n + 1);
      const added = await this.send(
        contractDecider,
        contractStream(contract.contractId),
        {
          type: 'AddContact',
          data: {
            contactId: this.id('contact', contract.contractId, n),
            name: person.name,
            email: person.email,
            categories: this.random.pick(categories),
          },
        },
        asUser(contract.owner),
      );
      if (added) this.report.contacts++;
    }
  }

  private async inviteMembers(contract: DemoContract, domain: string, index: number): Promise<void> {
    const count = this.random.weighted([
      [0, 30],
      [1, 35],
      [2, 25],
      [3, 10],
    ]);
    for (let n = 1; n <= count; n++) {
      const member: DemoUser = {
        userId: this.id('user', index, n),
        email: demoPerson(this.random, domain, n).email,
      };
      const invitationId = this.id('invitation', contract.contractId, n);
      const invited = await this.send(
        contractDecider,
        contractStream(contract.contractId),
        {
          type: 'InviteUser',
          data: { invitationId, email: member.email, permissions: this.random.pick(MEMBER_PERMISSIONS) },
        },
        asUser(contract.owner),
      );
      if (!invited) continue;
      // Most accept within a couple of days; a few never do (the invitation expires).
      if (this.random.chance(0.85)) {
        this.schedule(this.today, this.random.int(22 * 60, 60 * 60), async () => {
          const accepted = await this.send(
            contractDecider,
            contractStream(contract.contractId),
            { type: 'AcceptInvitation', data: { invitationId } },
            asUser(member),
          );
          if (accepted) {
            contract.members.push(member);
            this.report.users++;
          }
        });
      }
    }
  }

  /** Orders a service of a plausible kind and cycle; `monthlyShared` orders monthly shared hosting. */
  private async orderService(contract: DemoContract, monthlyShared = false): Promise<void> {
    const random = this.random;
    const parents = contract.serviceIds
      .map((id) => this.services.get(id)!.state)
      .filter(
        (state) =>
          (state.status === 'active' || state.status === 'pending') &&
          state.kind !== 'addon' &&
          state.kind !== 'domain',
      );
    let kind = monthlyShared ? 'shared_hosting' : random.weighted(KIND_WEIGHTS);
    if (kind === 'addon' && parents.length === 0) kind = 'shared_hosting';
    const parent = kind === 'addon' ? random.pick(parents) : undefined;
    const billingCycle: BillingCycle = monthlyShared
      ? 'monthly'
      : kind === 'domain'
        ? 'annual'
        : random.weighted(CYCLE_WEIGHTS);
    const [min, max] = PRICE_RANGE[kind];
    const serviceId = this.id('service', contract.contractId, contract.serviceIds.length);
    const ordered = await this.send(
      serviceDecider,
      serviceStream(serviceId),
      {
        type: 'OrderService',
        data: {
          serviceId,
          contractId: contract.contractId,
          kind,
          plan: random.pick(PLANS[kind]),
          billingCycle,
          priceCents: random.int(min / 10, max / 10) * 10,
          ...(parent && parent.status !== 'none'
            ? { parentServiceId: parent.serviceId, parentKind: parent.kind }
            : {}),
        },
      },
      asUser(contract.owner),
    );
    if (!ordered) return;
    contract.serviceIds.push(serviceId);
    this.services.set(serviceId, { contract, state: serviceDecider.initialState() });
    this.report.services[kind]++;
    this.report.cycles[billingCycle]++;
    // The first-invoice reactor issues the invoice due today at once; the log shows it, and its payment is planned.
    await this.follow(ordered.position, 'settle');
    const hours =
      kind === 'dedicated_server' ? random.int(20, 40) : kind === 'cloud_server' ? random.int(1, 8) : 0;
    this.schedule(this.today, this.minuteNow() + 20 + hours * 60, () => this.provision(serviceId, kind));
  }

  private async provision(serviceId: string, kind: ServiceKind): Promise<void> {
    const pool =
      kind === 'cloud_server'
        ? this.instances.cloud
        : kind === 'dedicated_server'
          ? this.instances.dedicated
          : this.instances.shared;
    await this.toService(
      serviceId,
      { type: 'ProvisionService', data: { instanceId: this.random.pick(pool) } },
      ADMIN,
      'no-reaction',
    );
  }

  private minuteNow(): number {
    return Math.round((this.clock.now().getTime() - Date.parse(instantOf(this.today, 0))) / 60_000);
  }

  // --- invoices and payments -------------------------------------------------------------------------------

  /**
   * Plans the payment of an invoice the system just issued. A new order is paid within a couple of days (the
   * customer wants the service), but for a few abandoned carts; renewals follow the payer's habits.
   */
  private planPayment(invoiceId: string, { contract, state }: DemoInvoice): void {
    if (state.status === 'none') return;
    const first = state.lines.some((line) => this.services.get(line.serviceId)?.state.status === 'pending');
    const payOn = first
      ? this.random.chance(0.04)
        ? null
        : addDays(
            state.dueDate,
            this.random.weighted([
              [0, 70],
              [1, 20],
              [2, 10],
            ]),
          )
      : this.paymentDay(contract, state.dueDate);
    if (payOn === null) return;
    const day = payOn < this.today ? this.today : payOn;
    this.schedule(day, this.random.int(8 * 60, 22 * 60), () => this.pay(invoiceId));
  }

  /** When the contract pays an invoice due on `dueDate`, by its habits; null if it never does. */
  private paymentDay(contract: DemoContract, dueDate: LocalDate): LocalDate | null {
    const random = this.random;
    switch (contract.profile) {
      case 'punctual':
        return random.chance(0.97) ? addDays(dueDate, -random.int(0, 4)) : addDays(dueDate, random.int(1, 5));
      case 'late':
        return random.chance(0.35)
          ? dueDate
          : addDays(
              dueDate,
              random.weighted([
                [random.int(1, 3), 40],
                [random.int(4, 9), 35],
                [random.int(10, 25), 25],
              ]),
            );
      case 'delinquent':
        return random.chance(0.45) ? null : addDays(dueDate, random.int(5, 40));
      case 'abandoning':
        if (contract.paymentsLeft <= 0) return null;
        contract.paymentsLeft--;
        return dueDate;
    }
  }

  /**
   * The payment gateway (or billing staff) records the payment of the whole invoice; the payments reactor then
   * moves the services it bills on, and reactivates one suspended for it.
   */
  private async pay(invoiceId: string): Promise<void> {
    const { contract, state } = this.invoices.get(invoiceId)!;
    if (state.status !== 'open' && state.status !== 'overdue') return;
    // Nobody pays for a service that is gone (terminated after retention, or cancelled).
    const gone = state.lines.some((line) => {
      const status = this.services.get(line.serviceId)?.state.status;
      return status === 'terminated' || status === 'cancelled';
    });
    if (gone) return;
    const paid = await this.send(
      invoiceDecider,
      invoiceStream(invoiceId),
      {
        type: 'RecordPayment',
        data: {
          transactionId: this.id('transaction', invoiceId),
          amountCents: state.totalCents,
          method: contract.method,
          paidAt: this.clock.now().toISOString(),
        },
      },
      // Boletos and cards are confirmed by the gateway's webhook; now and then billing staff record one by hand.
      this.random.chance(0.9) ? system('payment-gateway') : BILLING,
    );
    if (!paid) return;
    if (this.today <= state.dueDate) this.report.paidOnTime++;
    else this.report.paidLate++;
    await this.follow(paid.position, 'settle');
  }

  // --- what happens on a day -------------------------------------------------------------------------------

  /** Plans the day's customer and staff activity: orders, cancellations, tickets, call-backs, incidents. */
  private planDay(day: LocalDate): void {
    const random = this.random;
    const perDay = (perMonth: number) => perMonth / 30;
    for (const contract of this.contracts) {
      if (random.chance(perDay(0.08))) {
        this.schedule(day, random.int(9 * 60, 21 * 60), () => this.orderService(contract));
      }
      if (random.chance(perDay(0.7))) {
        this.schedule(day, random.int(8 * 60, 23 * 60), () => this.openTicket(contract));
      }
      if (random.chance(perDay(0.15))) {
        this.schedule(day, random.int(9 * 60, 18 * 60), () => this.requestCallback(contract));
      }
      for (const serviceId of contract.serviceIds) {
        const state = this.services.get(serviceId)!.state;
        if (state.status === 'active' && state.kind !== 'addon' && random.chance(perDay(0.03))) {
          this.schedule(day, random.int(9 * 60, 22 * 60), () => this.cancel(serviceId));
        }
        if (state.status === 'active' && state.kind !== 'addon' && random.chance(perDay(0.003))) {
          this.schedule(day, random.int(9 * 60, 18 * 60), () => this.suspendForAbuse(serviceId));
        }
      }
    }
    for (const instanceId of [
      ...this.instances.shared,
      ...this.instances.cloud,
      ...this.instances.dedicated,
    ]) {
      if (random.chance(perDay(0.25))) {
        this.schedule(day, random.int(0, 23 * 60), () => this.incident(instanceId));
      }
    }
  }

  private async cancel(serviceId: string): Promise<void> {
    const service = this.services.get(serviceId)!;
    if (service.state.status !== 'active') return;
    const when = this.random.chance(0.6) ? 'end_of_period' : 'immediate';
    const result = await this.toService(
      serviceId,
      {
        type: 'CancelService',
        data: {
          when,
          reason: this.random.pick(CANCELLATION_REASONS),
          protocolNumber: `DEMO-${this.today.replace(/-/g, '')}-${this.report.cancellations + 1}`,
        },
      },
      asUser(service.contract.owner),
      // The cancellations reactor cancels its unpaid invoices, and its add-ons go with it.
      'settle',
    );
    if (result) this.report.cancellations++;
  }

  private async suspendForAbuse(serviceId: string): Promise<void> {
    const service = this.services.get(serviceId)!;
    if (service.state.status !== 'active') return;
    const suspended = await this.toService(
      serviceId,
      {
        type: 'SuspendService',
        data: { reason: this.random.pick(['abuse', 'terms_of_service'] as const), note: 'demo' },
      },
      ADMIN,
      // Its add-ons are suspended with it, and come back with it.
      'settle',
    );
    if (!suspended) return;
    this.schedule(addDays(this.today, this.random.int(1, 6)), this.random.int(9 * 60, 18 * 60), async () => {
      await this.toService(
        serviceId,
        { type: 'ReactivateService', data: { by: 'staff', note: 'regularizado' } },
        ADMIN,
        'settle',
      );
    });
  }

  private ticketAuthor(contract: DemoContract): DemoUser {
    return this.random.chance(0.6) || contract.members.length === 0
      ? contract.owner
      : this.random.pick(contract.members);
  }

  private async openTicket(contract: DemoContract): Promise<void> {
    const random = this.random;
    const ticketId = this.id('ticket', contract.contractId, this.report.tickets);
    const serviceId =
      contract.serviceIds.length > 0 && random.chance(0.6) ? random.pick(contract.serviceIds) : undefined;
    const stream = ticketStream(ticketId);
    const author = contract.owner;
    const opened = await this.send(
      ticketDecider,
      stream,
      {
        type: 'OpenTicket',
        data: {
          ticketId,
          contractId: contract.contractId,
          subject: random.pick(TICKET_SUBJECTS),
          department: random.weighted([
            ['technical', 60],
            ['billing', 30],
            ['sales', 10],
          ] as const),
          priority: random.weighted([
            ['low', 30],
            ['medium', 50],
            ['high', 20],
          ] as const),
          ...(serviceId === undefined ? {} : { serviceId, serviceContractId: contract.contractId }),
          message: 'Olá, podem me ajudar, por favor?',
        },
      },
      asUser(author),
    );
    if (!opened) return;
    this.report.tickets++;
    const answerAfter = random.int(30, 30 * 60);
    this.schedule(this.today, this.minuteNow() + answerAfter, async () => {
      await this.send(
        ticketDecider,
        stream,
        {
          type: 'ReplyToTicket',
          data: {
            messageId: this.id('message', ticketId, 1),
            message: 'Verificamos e ajustamos, pode testar?',
          },
        },
        SUPPORT,
      );
      if (random.chance(0.5)) {
        // The customer writes back; support answers again, then the customer closes it.
        this.schedule(this.today, this.minuteNow() + random.int(60, 24 * 60), async () => {
          await this.send(
            ticketDecider,
            stream,
            {
              type: 'ReplyToTicket',
              data: {
                messageId: this.id('message', ticketId, 2),
                message: 'Ainda não funcionou, "erro 500".',
              },
            },
            asUser(this.ticketAuthor(contract)),
          );
          this.schedule(this.today, this.minuteNow() + random.int(30, 8 * 60), async () => {
            await this.send(
              ticketDecider,
              stream,
              {
                type: 'ReplyToTicket',
                data: { messageId: this.id('message', ticketId, 3), message: 'Corrigido, era o PHP.' },
              },
              SUPPORT,
            );
            this.schedule(this.today, this.minuteNow() + random.int(60, 48 * 60), () =>
              this.send(ticketDecider, stream, { type: 'CloseTicket', data: {} }, asUser(author)).then(
                () => undefined,
              ),
            );
          });
        });
      }
      // Otherwise no reply: the billing clock closes the answered ticket once it has been idle for 72 hours.
    });
  }

  private async requestCallback(contract: DemoContract): Promise<void> {
    const callbackId = this.id('callback', contract.contractId, this.report.callbacks);
    const phone = this.random.pick(contract.phones);
    const topic = this.random.pick([
      'Dúvida sobre fatura',
      'Contratar servidor dedicado',
      'Migração de e-mails',
    ]);
    const requester = asUser(contract.owner);
    const taken = await this.send(
      contractDecider,
      contractStream(contract.contractId),
      { type: 'OpenCallbackRequest', data: { callbackId, phone, topic } },
      requester,
    );
    if (!taken) return;
    await this.send(
      callbackDecider,
      callbackStream(callbackId),
      { type: 'RequestCallback', data: { callbackId, contractId: contract.contractId, phone, topic } },
      requester,
    );
    this.report.callbacks++;
    const outcome = this.random.chance(0.8) ? 'completed' : 'unreachable';
    this.schedule(this.today, this.minuteNow() + this.random.int(20, 6 * 60), async () => {
      const ended = await this.send(
        callbackDecider,
        callbackStream(callbackId),
        {
          type: 'RecordCallbackOutcome',
          data: outcome === 'completed' ? { outcome } : { outcome, attempts: this.random.int(2, 4) },
        },
        SUPPORT,
      );
      if (!ended) return;
      await this.send(
        contractDecider,
        contractStream(contract.contractId),
        { type: 'CloseCallbackRequest', data: { callbackId, outcome } },
        SUPPORT,
      );
    });
  }

  private async incident(instanceId: string): Promise<void> {
    const incidentId = this.id('incident', instanceId, this.report.incidents);
    const stream = instanceStream(instanceId);
    const opened = await this.send(
      instanceDecider,
      stream,
      {
        type: 'OpenIncident',
        data: {
          incidentId,
          title: this.random.pick(INCIDENT_TITLES),
          impact: this.random.chance(0.7) ? 'degraded' : 'outage',
        },
      },
      ADMIN,
    );
    if (!opened) return;
    this.report.incidents++;
    const start = this.minuteNow();
    this.schedule(this.today, start + this.random.int(15, 45), () =>
      this.send(
        instanceDecider,
        stream,
        { type: 'PostIncidentUpdate', data: { incidentId, message: 'Equipe atuando na causa.' } },
        ADMIN,
      ).then(() => undefined),
    );
    this.schedule(this.today, start + this.random.int(60, 8 * 60), () =>
      this.send(
        instanceDecider,
        stream,
        { type: 'ResolveIncident', data: { incidentId, message: 'Normalizado.' } },
        ADMIN,
      ).then(() => undefined),
    );
  }
}

const paymentMethodInput = (method: PaymentMethodKind, random: SeededRandom, today: LocalDate) => {
  switch (method) {
    case 'boleto':
      return { method };
    case 'credit_card':
      return {
        method,
        cardToken: `tok_demo_${random.int(100_000, 999_999)}`,
        brand: random.pick(['Visa', 'Mastercard', 'Elo']),
        last4: String(random.int(1000, 9999)),
        expMonth: random.int(1, 12),
        expYear: Number(today.slice(0, 4)) + random.int(2, 5),
      };
    case 'direct_debit':
      return {
        method,
        bank: random.pick(['Itaú', 'Bradesco', 'Banco do Brasil']),
        agency: String(random.int(1000, 9999)),
        maskedAccount: `*****${random.int(100, 999)}`,
        debitToken: `dd_demo_${random.int(100_000, 999_999)}`,
      };
  }
};

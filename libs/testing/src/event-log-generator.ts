import { deterministicUuid } from '@app/command-handling';
import {
  addDays,
  callbackDecider,
  callbackStream,
  contractDecider,
  contractStream,
  cycleMonths,
  DomainError,
  instanceDecider,
  instanceStream,
  invoiceDecider,
  invoiceStream,
  notaFiscalSeriesDecider,
  notaFiscalSeriesStream,
  PERMISSIONS,
  serviceDecider,
  serviceStream,
  suspensionDate,
  taxDocumentCheckDigits,
  terminationDate,
  ticketDecider,
  ticketStream,
  type Actor,
  type BillingCycle,
  type Command,
  type Decider,
  type InstanceKind,
  type LocalDate,
  type Message,
  type NotaFiscalNumberAllocated,
  type ParentServiceKind,
  type ServiceKind,
  type ServiceState,
} from '@app/domain';
import type { EventStore, NewEvent } from '@app/event-store';

/** What {@link generateEventLog} wrote. */
export type GeneratedEventLog = Readonly<{
  events: number;
  streams: number;
  contracts: number;
  services: number;
  invoices: number;
  /** Commands the deciders refused (a simulated customer doing something the rules forbid): nothing appended. */
  refused: number;
  /** Simulated days the log covers. */
  days: number;
}>;

export type EventLogOptions = Readonly<{
  /**
   * The same seed and size give the same events (content, ids, streams and order within each stream). Another seed
   * may write on top of a log written before: its streams are its own, but for the one nota fiscal series.
   */
  seed: number;
  /** How many events to write, at least (the last simulated day is finished). */
  events: number;
  /** Events gathered before they are appended: each stream's share goes in one append. Default 5,000. */
  batchEvents?: number;
  /**
   * Appends in flight at once. Default 256: the store's group commit sends what is queued together, up to 256
   * appends a round trip, so a generous number here is a few round trips per batch instead of hundreds (16 in
   * flight made batches of eight and a 50,000-event log three to four times slower to write).
   */
  concurrency?: number;
  /** First simulated day. Default 2025-01-01. */
  startDate?: LocalDate;
}>;

/** mulberry32: a small, fast, seedable PRNG. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

type Aggregate = {
  readonly name: string;
  readonly decider: Decider<Command, Message, unknown>;
  state: unknown;
  /** Revision of the last event decided (appended or pending). */
  revision: number;
  /** Revision of the last event appended. */
  appended: number;
  pending: NewEvent[];
};

type Task = () => void;

const SYSTEM = (rule: string): Actor => ({ kind: 'system', rule });
const STAFF: Actor = { kind: 'user', userId: 'staff-ana', email: 'ana@provedor.com.br', roles: ['admin'] };

const INSTANCES: readonly Readonly<{ kind: InstanceKind; count: number }>[] = [
  { kind: 'shared', count: 6 },
  { kind: 'cloud', count: 4 },
  { kind: 'dedicated', count: 2 },
];

const instanceKindFor = (kind: ServiceKind): InstanceKind =>
  kind === 'cloud_server' ? 'cloud' : kind === 'dedicated_server' ? 'dedicated' : 'shared';

const AREA_CODES: readonly number[] = [11, 21, 31, 41, 47, 48, 51, 61, 71, 81, 85, 91];

const CYCLES: readonly BillingCycle[] = [
  'monthly',
  'monthly',
  'monthly',
  'quarterly',
  'semiannual',
  'annual',
];
const KINDS: readonly ServiceKind[] = [
  'shared_hosting',
  'shared_hosting',
  'shared_hosting',
  'domain',
  'domain',
  'reseller_hosting',
  'cloud_server',
  'dedicated_server',
  'addon',
];

/** Which appends go first within a batch, so a stream's events follow what caused them in the log. */
const wave = (streamName: string): number =>
  streamName.startsWith('contract-') || streamName.startsWith('instance-')
    ? 0
    : streamName.startsWith('service-')
      ? 1
      : streamName.startsWith('invoice-') || streamName.startsWith('nota-')
        ? 2
        : 3;

/**
 * Writes a realistic event log through the event store port: contracts with invited users and contacts,
 * services of every kind and billing cycle with their invoices, payments (on time, late, never), suspensions,
 * reactivations, cancellations and terminations, notas fiscais and refunds, tickets, call-backs and incidents on
 * the servers. Every event comes from the real deciders, fed commands a simulated day at a time; events are
 * gathered and appended in large batches, one append per stream and batch. Deterministic from `seed`.
 */
export const generateEventLog = async (
  store: EventStore,
  options: EventLogOptions,
): Promise<GeneratedEventLog> => {
  const random = prng(options.seed);
  const batchEvents = options.batchEvents ?? 5_000;
  const concurrency = options.concurrency ?? 256;
  const tag = `log-${options.seed}`;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

  const aggregates = new Map<string, Aggregate>();
  const dirty = new Set<Aggregate>();
  let pendingEvents = 0;
  let total = 0;
  let refused = 0;
  let streams = 0;
  let commandCount = 0;
  let day = 0;
  let now = '';
  const agenda = new Map<number, Task[]>();
  const at = (offset: number, task: Task) => {
    const when = day + Math.max(1, offset);
    const tasks = agenda.get(when);
    if (tasks) tasks.push(task);
    else agenda.set(when, [task]);
  };

  const aggregate = <C extends Command, E extends Message, S>(
    name: string,
    decider: Decider<C, E, S>,
  ): Aggregate => {
    let found = aggregates.get(name);
    if (!found) {
      found = {
        name,
        decider: decider as unknown as Decider<Command, Message, unknown>,
        state: decider.initialState(),
        revision: -1,
        appended: -1,
        pending: [],
      };
      aggregates.set(name, found);
      streams++;
    }
    return found;
  };

  /** Decides a command on the aggregate as it stands; a refused command appends nothing. */
  const send = (target: Aggregate, type: string, data: unknown, actor: Actor): readonly Message[] => {
    const commandId = `${tag}:${commandCount++}`;
    const command = { type, data, metadata: { now, actor } } as Command;
    let decided: readonly Message[];
    try {
      decided = target.decider.decide(command, target.state);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused++;
      return [];
    }
    decided.forEach((event, index) => {
      target.state = target.decider.evolve(target.state, event);
      target.revision++;
      target.pending.push({
        id: deterministicUuid(commandId, target.name, String(index)),
        type: event.type,
        data: event.data,
        metadata: {
          actor,
          occurredAt: now,
          correlationId: commandId,
          causationId: commandId,
          commandName: type,
          commandId,
          schemaVersion: 1,
        },
      });
    });
    if (decided.length > 0) dirty.add(target);
    pendingEvents += decided.length;
    total += decided.length;
    return decided;
  };

  const appendOne = async (target: Aggregate): Promise<void> => {
    const events = target.pending;
    target.pending = [];
    const expected = target.appended === -1 ? 'no_stream' : target.appended;
    await store.append(target.name, events, expected);
    target.appended += events.length;
  };

  const flush = async (): Promise<void> => {
    const byWave = [...dirty].sort((a, b) => wave(a.name) - wave(b.name));
    dirty.clear();
    pendingEvents = 0;
    for (let w = 0; w <= 3; w++) {
      const queue = byWave.filter((target) => wave(target.name) === w);
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
          while (next < queue.length) await appendOne(queue[next++]!);
        }),
      );
    }
  };

  // The servers, the nota fiscal series and the one staff member everything else refers to.
  const instancesByKind = new Map<InstanceKind, string[]>();
  const instanceIds: string[] = [];
  const series = aggregate(notaFiscalSeriesStream(), notaFiscalSeriesDecider);
  // The series is one stream for the whole log: a log written on top of another numbers on from its last nota.
  for (const recorded of await store.readStream(series.name)) {
    series.state = series.decider.evolve(series.state, {
      type: recorded.type,
      data: recorded.data,
    } as Message);
    series.revision = series.appended = recorded.revision;
  }
  const startEpoch = Date.parse(`${options.startDate ?? '2025-01-01'}T00:00:00.000Z`);
  const dateOf = (d: number): LocalDate => new Date(startEpoch + d * 86_400_000).toISOString().slice(0, 10);
  const dayOf = (date: LocalDate): number =>
    Math.round((Date.parse(`${date}T00:00:00.000Z`) - startEpoch) / 86_400_000);
  const setClock = (minute: number) => {
    // 12:00–20:59 UTC: the same calendar day in America/Sao_Paulo.
    now = new Date(startEpoch + day * 86_400_000 + (12 * 60 + (minute % 540)) * 60_000).toISOString();
  };
  let minute = 0;
  const tick = () => setClock((minute += 1));

  const registerInstances = () => {
    for (const { kind, count } of INSTANCES) {
      for (let n = 1; n <= count; n++) {
        const instanceId = `${tag}-${kind}-${n}`;
        const instance = aggregate(instanceStream(instanceId), instanceDecider);
        send(
          instance,
          'RegisterInstance',
          {
            instanceId,
            name: `${kind}-${n}.provedor.com.br`,
            kind,
            datacenter: pick(['São Paulo', 'Fortaleza']),
          },
          STAFF,
        );
        instanceIds.push(instanceId);
        instancesByKind.set(kind, [...(instancesByKind.get(kind) ?? []), instanceId]);
      }
    }
  };

  let incidentCount = 0;
  const maybeIncident = () => {
    if (!chance(0.08)) return;
    const instanceId = pick(instanceIds);
    const instance = aggregates.get(instanceStream(instanceId))!;
    const incidentId = `${tag}-incident-${incidentCount++}`;
    send(
      instance,
      'OpenIncident',
      { incidentId, title: 'Lentidão no servidor', impact: pick(['degraded', 'outage']) },
      STAFF,
    );
    at(between(0, 1), () =>
      send(
        instance,
        'PostIncidentUpdate',
        { incidentId, message: 'Equipe investigando', impact: pick(['degraded', 'outage']) },
        STAFF,
      ),
    );
    at(between(1, 3), () => send(instance, 'ResolveIncident', { incidentId, message: 'Normalizado' }, STAFF));
  };

  let contracts = 0;
  let services = 0;
  let invoices = 0;

  const document = () => {
    if (chance(0.6)) {
      const body = String(between(100_000_000, 999_999_999));
      return body + taxDocumentCheckDigits(body);
    }
    const body = `${String(between(10_000_000, 99_999_999))}0001`;
    return body + taxDocumentCheckDigits(body);
  };
  const phone = () => `+55${pick(AREA_CODES)}9${between(10_000_000, 99_999_999)}`;
  const paymentMethod = () =>
    pick([
      { method: 'boleto' },
      {
        method: 'credit_card',
        cardToken: `tok_${between(1, 1e9)}`,
        brand: 'Visa',
        last4: String(between(1000, 9999)),
        expMonth: between(1, 12),
        expYear: 2035,
      },
      {
        method: 'direct_debit',
        bank: 'Banco do Brasil',
        agency: String(between(1000, 9999)),
        maskedAccount: `****${between(1000, 9999)}`,
        debitToken: `deb_${between(1, 1e9)}`,
      },
    ]);

  const openContract = () => {
    const n = contracts++;
    const contractId = `${tag}-c${n}`;
    const domain = `cliente${n}.com.br`;
    const owner: Actor = {
      kind: 'user',
      userId: `${tag}-u${n}`,
      email: `dono@${domain}`,
      roles: ['customer'],
    };
    const contract = aggregate(contractStream(contractId), contractDecider);
    const members: Actor[] = [owner];
    send(
      contract,
      'OpenContract',
      {
        contractId,
        ownerName: `Dono ${n}`,
        holderName: `Cliente ${n} Ltda`,
        document: document(),
        phones: [phone()],
        ...(chance(0.5) ? { paymentMethod: paymentMethod() } : {}),
      },
      owner,
    );
    const liveServices: { serviceId: string; kind: ServiceKind }[] = [];

    // Users: invited by the owner, most accept, some let it expire, a few are revoked.
    for (let i = between(0, 3); i > 0; i--) {
      at(between(1, 20), () => {
        const invitationId = `${contractId}-inv${commandCount}`;
        const email = `pessoa${commandCount}@${chance(0.5) ? domain : 'gmail.com'}`;
        const permissions = PERMISSIONS.filter(() => chance(0.5));
        const invited = send(
          contract,
          'InviteUser',
          { invitationId, email, permissions: permissions.length ? permissions : ['tickets'] },
          owner,
        );
        if (invited.length === 0) return;
        const fate = random();
        if (fate < 0.75) {
          const user: Actor = {
            kind: 'user',
            userId: `${tag}-u-${invitationId}`,
            email,
            roles: ['customer'],
          };
          at(between(1, 5), () => {
            if (send(contract, 'AcceptInvitation', { invitationId }, user).length > 0) members.push(user);
          });
          if (chance(0.2))
            at(between(10, 200), () =>
              send(
                contract,
                'ChangeUserPermissions',
                {
                  userId: user.kind === 'user' ? user.userId : '',
                  permissions: PERMISSIONS.filter(() => chance(0.5)),
                },
                owner,
              ),
            );
          if (chance(0.1))
            at(between(30, 300), () =>
              send(contract, 'RemoveUser', { userId: user.kind === 'user' ? user.userId : '' }, owner),
            );
        } else if (fate < 0.9) {
          at(8, () => send(contract, 'ExpireInvitation', { invitationId }, SYSTEM('expire-invitations')));
        } else {
          at(between(1, 6), () => send(contract, 'RevokeInvitation', { invitationId }, owner));
        }
      });
    }
    // Contacts, often on the contract's own domain.
    for (let i = between(0, 2); i > 0; i--) {
      at(between(1, 30), () => {
        const contactId = `${contractId}-ct${commandCount}`;
        send(
          contract,
          'AddContact',
          {
            contactId,
            name: `Contato ${commandCount}`,
            email: `contato${commandCount}@${chance(0.7) ? domain : 'outlook.com'}`,
            categories: [pick(['billing', 'technical', 'commercial'])],
          },
          owner,
        );
        if (chance(0.15)) at(between(30, 200), () => send(contract, 'RemoveContact', { contactId }, owner));
      });
    }
    if (chance(0.1))
      at(between(10, 200), () =>
        send(contract, 'ChangeDefaultPaymentMethod', { paymentMethod: paymentMethod() }, owner),
      );
    if (chance(0.05)) at(between(10, 100), () => send(contract, 'AddPhone', { phone: phone() }, owner));

    // Services, with their invoices.
    const order = (kindWanted: ServiceKind, domainName?: string) => {
      const parent =
        kindWanted === 'addon'
          ? liveServices.find((s) => s.kind !== 'addon' && s.kind !== 'domain')
          : undefined;
      const kind = kindWanted === 'addon' && parent === undefined ? 'shared_hosting' : kindWanted;
      const serviceId = `${contractId}-s${services++}`;
      const service = aggregate(serviceStream(serviceId), serviceDecider);
      const priceCents = pick([990, 1990, 2990, 4990, 8990, 19990, 49990]);
      const ordered = send(
        service,
        'OrderService',
        {
          serviceId,
          contractId,
          kind,
          plan:
            kind === 'domain'
              ? (domainName ?? `extra${serviceId}.com.br`)
              : pick(['Plano I', 'Plano II', 'Plano Turbo', 'Revenda 50']),
          billingCycle: pick(CYCLES),
          priceCents,
          ...(parent ? { parentServiceId: parent.serviceId, parentKind: parent.kind } : {}),
          ...(chance(0.1) ? { paymentMethod: paymentMethod() } : {}),
        },
        owner,
      );
      if (ordered.length === 0) return;
      liveServices.push({ serviceId, kind });
      const state = () => service.state as ServiceState;
      const gone = () => state().status === 'cancelled' || state().status === 'terminated';
      const openInvoices = new Set<string>();
      const serverKind = kind === 'cloud_server' || kind === 'dedicated_server';
      at(serverKind ? between(1, 3) : 1, () =>
        send(
          service,
          'ProvisionService',
          { instanceId: pick(instancesByKind.get(instanceKindFor(kind))!) },
          STAFF,
        ),
      );

      const bill = (dueDate: LocalDate) => {
        if (gone()) return;
        const s = state();
        if (s.status === 'none') return;
        const invoiceId = `${serviceId}-i${invoices++}`;
        const invoice = aggregate(invoiceStream(invoiceId), invoiceDecider);
        const months = cycleMonths(s.billingCycle);
        const totalCents = s.priceCents * months;
        const issued = send(
          invoice,
          'IssueInvoice',
          {
            invoiceId,
            contractId,
            dueDate,
            lines: [
              {
                serviceId,
                description: `${s.plan} (${months} meses)`,
                periodStart: dueDate,
                periodEnd: addDays(dueDate, months * 30 - 1),
                amountCents: totalCents,
              },
            ],
          },
          SYSTEM('issue-invoices'),
        );
        if (issued.length === 0) return;
        openInvoices.add(invoiceId);
        const dueIn = dayOf(dueDate) - day;
        const pay = (offset: number) =>
          at(offset, () => {
            const paid = send(
              invoice,
              'RecordPayment',
              {
                transactionId: `tx-${invoiceId}`,
                amountCents: totalCents,
                method: pick(['boleto', 'credit_card', 'direct_debit']),
                paidAt: now,
              },
              SYSTEM('payment-gateway'),
            );
            if (paid.length === 0) return;
            openInvoices.delete(invoiceId);
            if (!gone()) {
              send(
                service,
                'RecordInvoicePaid',
                { invoiceId, paidAt: now },
                SYSTEM('service-follows-payment'),
              );
              const after = state();
              if (
                after.status === 'suspended' &&
                after.suspension.reason === 'non_payment' &&
                openInvoices.size === 0
              ) {
                send(
                  service,
                  'ReactivateService',
                  { by: 'payment', noOverdueInvoiceRemains: true },
                  SYSTEM('reactivate-on-payment'),
                );
                for (const addon of liveServices) reactivateAddonOf(addon.serviceId, serviceId);
              }
            }
            at(between(1, 3), () => {
              const allocated = send(
                series,
                'AllocateNotaFiscalNumber',
                { invoiceId },
                SYSTEM('issue-notas-fiscais'),
              );
              const number = (allocated[0] as NotaFiscalNumberAllocated | undefined)?.data.number;
              if (number !== undefined)
                send(invoice, 'IssueNotaFiscal', { number }, SYSTEM('issue-notas-fiscais'));
              if (chance(0.01))
                at(between(1, 20), () =>
                  send(invoice, 'RefundInvoice', { reason: 'Cobrança em duplicidade' }, STAFF),
                );
            });
          });
        const fate = random();
        if (fate < 0.85) pay(Math.max(0, dueIn - between(0, 5)));
        else {
          at(dueIn + 1, () => send(invoice, 'MarkInvoiceOverdue', {}, SYSTEM('mark-overdue')));
          const suspendOn = dayOf(suspensionDate(kind, dueDate, parentKindOf(parent))) - day;
          at(suspendOn, () => {
            if (!openInvoices.has(invoiceId)) return;
            const suspended = send(
              service,
              'SuspendService',
              { reason: 'non_payment', invoiceId, invoiceDueDate: dueDate },
              SYSTEM('suspend-unpaid'),
            );
            if (suspended.length === 0) return;
            for (const addon of liveServices) suspendAddonOf(addon.serviceId, serviceId);
            const endsOn = terminationDate(kind, dateOf(day), parentKindOf(parent));
            at(dayOf(endsOn) - day, () => {
              if (state().status !== 'suspended') return;
              const terminated = send(service, 'TerminateService', {}, SYSTEM('terminate-after-retention'));
              if (terminated.length === 0) return;
              for (const addon of liveServices) terminateAddonOf(addon.serviceId, serviceId);
              cancelOpenInvoices('Serviço encerrado');
            });
          });
          if (fate < 0.95) pay(dueIn + between(2, 40));
        }
      };
      const cancelOpenInvoices = (reason: string) => {
        for (const invoiceId of [...openInvoices]) {
          const invoice = aggregates.get(invoiceStream(invoiceId));
          if (
            invoice &&
            send(invoice, 'CancelInvoice', { reason }, SYSTEM('cancel-invoices-of-cancelled')).length > 0
          )
            openInvoices.delete(invoiceId);
        }
      };
      // The first invoice on the order day, then each period's ten days before it starts.
      bill(dateOf(day));
      const nextCycle = () => {
        const s = state();
        if (s.status === 'none' || gone()) return;
        const due = s.nextDueDate;
        at(dayOf(due) - 10 - day, () => {
          bill(due);
          if (chance(0.04)) {
            const when = chance(0.5) ? 'immediate' : 'end_of_period';
            const cancelled = send(
              service,
              'CancelService',
              { when, reason: 'Não preciso mais', protocolNumber: `P${commandCount}` },
              owner,
            );
            const effect = cancelled[0];
            if (effect?.type === 'ServiceCancelled') cancelOpenInvoices('Serviço cancelado');
            else if (effect?.type === 'ServiceCancellationScheduled') {
              const effectiveOn = (effect.data as { effectiveOn: LocalDate }).effectiveOn;
              at(dayOf(effectiveOn) - day, () => {
                if (
                  send(service, 'CompleteScheduledCancellation', {}, SYSTEM('complete-cancellations'))
                    .length > 0
                )
                  cancelOpenInvoices('Serviço cancelado');
              });
            }
          }
          at(12, nextCycle);
        });
      };
      at(1, nextCycle);
      if (chance(0.02)) {
        at(between(20, 200), () => {
          if (send(service, 'SuspendService', { reason: 'abuse', note: 'Envio de spam' }, STAFF).length > 0)
            at(between(1, 10), () =>
              send(service, 'ReactivateService', { by: 'staff', note: 'Regularizado' }, STAFF),
            );
        });
      }
      if (chance(0.05))
        at(between(10, 300), () =>
          send(
            service,
            'ChangeServicePaymentMethod',
            { paymentMethod: chance(0.5) ? null : paymentMethod() },
            owner,
          ),
        );
    };
    const addonOf = (addonId: string, parentId: string) => {
      const addon = aggregates.get(serviceStream(addonId));
      const state = addon?.state as ServiceState | undefined;
      return addon && state && state.status !== 'none' && state.parentServiceId === parentId
        ? addon
        : undefined;
    };
    const suspendAddonOf = (addonId: string, parentId: string) => {
      const addon = addonOf(addonId, parentId);
      if (addon)
        send(addon, 'SuspendService', { reason: 'parent_suspended' }, SYSTEM('addons-follow-parent'));
    };
    const reactivateAddonOf = (addonId: string, parentId: string) => {
      const addon = addonOf(addonId, parentId);
      if (addon && (addon.state as ServiceState).status === 'suspended')
        send(addon, 'ReactivateService', { by: 'parent' }, SYSTEM('addons-follow-parent'));
    };
    const terminateAddonOf = (addonId: string, parentId: string) => {
      const addon = addonOf(addonId, parentId);
      if (addon)
        send(addon, 'TerminateService', { cause: 'parent_terminated' }, SYSTEM('addons-follow-parent'));
    };
    order(chance(0.6) ? 'domain' : 'shared_hosting', domain);
    for (let i = between(0, 3); i > 0; i--) at(between(1, 120), () => order(pick(KINDS)));

    // Tickets and call-backs, now and then.
    const ticketLoop = () => {
      const ticketId = `${contractId}-t${commandCount}`;
      const ticket = aggregate(ticketStream(ticketId), ticketDecider);
      const opener = pick(members);
      const opened = send(
        ticket,
        'OpenTicket',
        {
          ticketId,
          contractId,
          subject: pick(['Site fora do ar', 'Dúvida na fatura', 'Migração de e-mails', 'Upgrade de plano']),
          department: pick(['technical', 'billing', 'sales']),
          priority: pick(['low', 'medium', 'high']),
          message: 'Olá, preciso de ajuda.',
        },
        opener,
      );
      if (opened.length > 0) {
        at(between(1, 2), () => {
          send(
            ticket,
            'ReplyToTicket',
            { messageId: `${ticketId}-m1`, message: 'Estamos verificando.' },
            STAFF,
          );
          if (chance(0.3))
            at(1, () => send(ticket, 'SetTicketStatus', { status: pick(['in_progress', 'on_hold']) }, STAFF));
          if (chance(0.5)) {
            at(between(1, 2), () => {
              send(
                ticket,
                'ReplyToTicket',
                { messageId: `${ticketId}-m2`, message: 'Obrigado, resolvido.' },
                opener,
              );
              at(1, () => send(ticket, 'CloseTicket', {}, opener));
            });
          } else at(4, () => send(ticket, 'CloseIdleTicket', {}, SYSTEM('close-idle-tickets')));
        });
      }
      at(between(20, 120), ticketLoop);
    };
    at(between(5, 60), ticketLoop);
    const callbackLoop = () => {
      const callbackId = `${contractId}-cb${commandCount}`;
      const state = contract.state as { phones?: readonly string[] };
      const phoneNumber = state.phones?.[0];
      if (phoneNumber !== undefined) {
        const opened = send(
          contract,
          'OpenCallbackRequest',
          { callbackId, phone: phoneNumber, topic: 'Financeiro' },
          owner,
        );
        if (opened.length > 0) {
          const callback = aggregate(callbackStream(callbackId), callbackDecider);
          send(
            callback,
            'RequestCallback',
            { callbackId, contractId, phone: phoneNumber, topic: 'Financeiro' },
            owner,
          );
          at(between(1, 3), () => {
            const fate = random();
            const outcome = fate < 0.6 ? 'completed' : fate < 0.85 ? 'unreachable' : 'cancelled';
            if (outcome === 'cancelled') send(callback, 'CancelCallback', {}, owner);
            else
              send(
                callback,
                'RecordCallbackOutcome',
                outcome === 'completed'
                  ? { outcome, note: 'Cliente atendido' }
                  : { outcome, attempts: between(1, 3) },
                STAFF,
              );
            send(contract, 'CloseCallbackRequest', { callbackId, outcome }, STAFF);
          });
        }
      }
      at(between(40, 200), callbackLoop);
    };
    at(between(10, 120), callbackLoop);
  };

  // Day by day until the log is long enough: new contracts every day, then what the agenda holds for the day.
  const openPerDay = Math.max(1, Math.round(options.events / 25_000));
  setClock(0);
  registerInstances();
  while (total < options.events) {
    day++;
    minute = 0;
    tick();
    for (let n = 0; n < openPerDay; n++) {
      tick();
      openContract();
    }
    maybeIncident();
    const tasks = agenda.get(day) ?? [];
    agenda.delete(day);
    for (const task of tasks) {
      tick();
      task();
    }
    if (pendingEvents >= batchEvents) await flush();
    // Finished streams are no longer needed in memory (their events are appended).
    if (day % 30 === 0) {
      for (const [name, target] of aggregates) {
        if (target.pending.length === 0 && isFinished(target.state)) aggregates.delete(name);
      }
    }
  }
  await flush();
  return { events: total, streams, contracts, services, invoices, refused, days: day };
};

const FINAL_STATUSES: readonly string[] = [
  'cancelled',
  'terminated',
  'paid',
  'refunded',
  'closed',
  'completed',
  'unreachable',
];

const parentKindOf = (parent: Readonly<{ kind: ServiceKind }> | undefined): ParentServiceKind | undefined =>
  parent === undefined || parent.kind === 'addon' ? undefined : parent.kind;

const isFinished = (state: unknown): boolean => {
  const status = (state as { status?: unknown }).status;
  return typeof status === 'string' && FINAL_STATUSES.includes(status);
};

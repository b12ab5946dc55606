import { sql, type Transaction } from 'kysely';
import { deterministicUuid } from '@app/command-handling';
import type {
  ContactCategory,
  ContractEvent,
  InstanceEvent,
  InvoiceEvent,
  ServiceEvent,
  SuspensionReason,
  TicketDepartment,
  TicketEvent,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { applyNewEvents, type Projection } from '@app/projection-runner';
import { insertRows, toJson, type TableColumns } from '../shared';
import {
  incidentOpenedText,
  incidentResolvedText,
  invoiceIssuedText,
  invoiceOverdueText,
  serviceReactivatedText,
  serviceSuspendedText,
  ticketClosedText,
  ticketOpenedText,
  ticketRepliedText,
  ticketStatusChangedText,
  type MessageText,
  type ServiceMention,
} from './notification-messages';
import type {
  NewNotificationRow,
  NotificationKind,
  NotificationsDatabase,
  RecipientReason,
} from './notifications.table';

const NAME = 'notifications';

const HANDLED = [
  // The directory: who is addressed, and what the messages name.
  'ContractOpened',
  'ContractOwnershipTransferred',
  'ContactAdded',
  'ContactRemoved',
  'ServiceOrdered',
  'ServiceProvisioned',
  'ServiceCancelled',
  'ServiceTerminated',
  'InstanceRegistered',
  // What is notified (InvoiceIssued and the service events above feed both).
  'TicketOpened',
  'TicketReplied',
  'TicketStatusChanged',
  'TicketClosed',
  'InvoiceIssued',
  'InvoiceMarkedOverdue',
  'ServiceSuspended',
  'ServiceReactivated',
  'IncidentOpened',
  'IncidentResolved',
] as const satisfies readonly (
  ContractEvent | ServiceEvent | InvoiceEvent | TicketEvent | InstanceEvent
)['type'][];

type HandledEvent = Extract<
  ContractEvent | ServiceEvent | InvoiceEvent | TicketEvent | InstanceEvent,
  { type: (typeof HANDLED)[number] }
>;

type Trx = Transaction<NotificationsDatabase>;

/** The contacts a ticket's department notifies. */
const DEPARTMENT_CATEGORY: Record<TicketDepartment, ContactCategory> = {
  technical: 'technical',
  billing: 'billing',
  sales: 'commercial',
};

/** Non-payment is the billing contacts' business; a suspension by staff or a parent's is the technical ones'. */
const suspensionCategory = (reason: SuspensionReason): ContactCategory =>
  reason === 'non_payment' ? 'billing' : 'technical';

type Recipient = { email: string; reasons: RecipientReason[] };

type Contact = Readonly<{
  contactId: string;
  contractId: string;
  email: string;
  categories: readonly ContactCategory[];
}>;
type Service = Readonly<{
  serviceId: string;
  contractId: string;
  plan: string;
  instanceId: string | null;
  ended: boolean;
}>;
type Invoice = Readonly<{ invoiceId: string; contractId: string; totalCents: number }>;

/** The ids a batch names, by what they identify: what to read before folding it. */
type Named = Readonly<{
  contracts: Set<string>;
  contacts: Set<string>;
  services: Set<string>;
  instances: Set<string>;
  /** Instances with an incident in the batch: every service on them is read. */
  incidentInstances: Set<string>;
  invoices: Set<string>;
}>;

const namedBy = (events: readonly RecordedEvent[]): Named => {
  const named: Named = {
    contracts: new Set(),
    contacts: new Set(),
    services: new Set(),
    instances: new Set(),
    incidentInstances: new Set(),
    invoices: new Set(),
  };
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as HandledEvent;
    switch (event.type) {
      case 'ContractOpened':
      case 'ContractOwnershipTransferred':
      case 'TicketOpened':
      case 'TicketReplied':
      case 'TicketStatusChanged':
      case 'TicketClosed':
        named.contracts.add(event.data.contractId);
        break;
      case 'ContactAdded':
      case 'ContactRemoved':
        named.contracts.add(event.data.contractId);
        named.contacts.add(event.data.contactId);
        break;
      case 'ServiceOrdered':
        named.contracts.add(event.data.contractId);
        named.services.add(event.data.serviceId);
        break;
      case 'ServiceProvisioned':
        named.services.add(event.data.serviceId);
        named.instances.add(event.data.instanceId);
        break;
      case 'ServiceCancelled':
      case 'ServiceTerminated':
      case 'ServiceSuspended':
      case 'ServiceReactivated':
        named.services.add(event.data.serviceId);
        break;
      case 'InstanceRegistered':
        named.instances.add(event.data.instanceId);
        break;
      case 'IncidentOpened':
      case 'IncidentResolved':
        named.instances.add(event.data.instanceId);
        named.incidentInstances.add(event.data.instanceId);
        break;
      case 'InvoiceIssued':
        named.contracts.add(event.data.contractId);
        named.invoices.add(event.data.invoiceId);
        break;
      case 'InvoiceMarkedOverdue':
        named.invoices.add(event.data.invoiceId);
        break;
      default: {
        const _exhaustive: never = event;
      }
    }
  }
  return named;
};

const anyOf = (column: string, ids: ReadonlySet<string>) =>
  sql<boolean>`${sql.ref(column)} = any(${sql.val([...ids])}::text[])`;

/**
 * The projection's directory as far as a batch needs it, read once before the batch (a few queries, whatever its
 * size) and then changed in memory event by event, as the rows would have been: each event sees what the events
 * before it in the batch did. What changed is written back once, after the batch.
 */
class Directory {
  private readonly owners = new Map<string, string>();
  private readonly contacts = new Map<string, Contact>();
  private readonly contactsOfContract = new Map<string, Map<string, Contact>>();
  private readonly services = new Map<string, Service>();
  private readonly instances = new Map<string, string>();
  private readonly invoices = new Map<string, Invoice>();
  /** Each id's place in the database's own sort order (its collation), for the lists the queries ordered. */
  private readonly rank = new Map<string, number>();
  private readonly changed = {
    owners: new Set<string>(),
    contacts: new Set<string>(),
    services: new Set<string>(),
    instances: new Set<string>(),
    invoices: new Set<string>(),
  };

  static async read(trx: Trx, named: Named): Promise<Directory> {
    const directory = new Directory();
    const contracts = new Set(named.contracts);
    if (named.services.size > 0 || named.incidentInstances.size > 0) {
      const services = await trx
        .selectFrom('notification_services')
        .selectAll()
        .where((eb) =>
          eb.or([anyOf('service_id', named.services), anyOf('instance_id', named.incidentInstances)]),
        )
        .execute();
      for (const row of services) {
        directory.services.set(row.service_id, {
          serviceId: row.service_id,
          contractId: row.contract_id,
          plan: row.plan,
          instanceId: row.instance_id,
          ended: row.ended,
        });
        contracts.add(row.contract_id);
      }
    }
    if (named.invoices.size > 0) {
      const invoices = await trx
        .selectFrom('notification_invoices')
        .selectAll()
        .where(anyOf('invoice_id', named.invoices))
        .execute();
      for (const row of invoices) {
        directory.invoices.set(row.invoice_id, {
          invoiceId: row.invoice_id,
          contractId: row.contract_id,
          totalCents: row.total_cents,
        });
        contracts.add(row.contract_id);
      }
    }
    if (named.instances.size > 0) {
      const instances = await trx
        .selectFrom('notification_instances')
        .selectAll()
        .where(anyOf('instance_id', named.instances))
        .execute();
      for (const row of instances) directory.instances.set(row.instance_id, row.name);
    }
    if (contracts.size > 0) {
      const owners = await trx
        .selectFrom('notification_contracts')
        .selectAll()
        .where(anyOf('contract_id', contracts))
        .execute();
      for (const row of owners) directory.owners.set(row.contract_id, row.owner_email);
    }
    if (contracts.size > 0 || named.contacts.size > 0) {
      const contacts = await trx
        .selectFrom('notification_contacts')
        .selectAll()
        .where((eb) => eb.or([anyOf('contract_id', contracts), anyOf('contact_id', named.contacts)]))
        .execute();
      for (const row of contacts) {
        directory.addContact({
          contactId: row.contact_id,
          contractId: row.contract_id,
          email: row.email,
          categories: row.categories,
        });
      }
    }
    // Every id a list is sorted by: those read and those the batch may create (contacts, services, contracts).
    const sorted = new Set([
      ...directory.contacts.keys(),
      ...named.contacts,
      ...directory.services.keys(),
      ...named.services,
      ...contracts,
    ]);
    if (sorted.size > 1) {
      const { rows } = await sql<{ id: string }>`
        select id from unnest(${sql.val([...sorted])}::text[]) as sorted(id) order by id`.execute(trx);
      rows.forEach((row, index) => directory.rank.set(row.id, index));
    }
    return directory;
  }

  private readonly byRank = (a: string, b: string): number =>
    (this.rank.get(a) ?? 0) - (this.rank.get(b) ?? 0);

  private addContact(contact: Contact): void {
    this.contacts.set(contact.contactId, contact);
    const ofContract = this.contactsOfContract.get(contact.contractId) ?? new Map<string, Contact>();
    ofContract.set(contact.contactId, contact);
    this.contactsOfContract.set(contact.contractId, ofContract);
  }

  openContract(contractId: string, ownerEmail: string): void {
    if (this.owners.has(contractId)) return;
    this.owners.set(contractId, ownerEmail);
    this.changed.owners.add(contractId);
  }

  transferContract(contractId: string, ownerEmail: string): void {
    if (!this.owners.has(contractId)) return;
    this.owners.set(contractId, ownerEmail);
    this.changed.owners.add(contractId);
  }

  addNewContact(contact: Contact): void {
    if (this.contacts.has(contact.contactId)) return;
    this.addContact(contact);
    this.changed.contacts.add(contact.contactId);
  }

  removeContact(contactId: string): void {
    const contact = this.contacts.get(contactId);
    if (!contact) return;
    this.contacts.delete(contactId);
    this.contactsOfContract.get(contact.contractId)?.delete(contactId);
    this.changed.contacts.add(contactId);
  }

  service(serviceId: string): Service | undefined {
    return this.services.get(serviceId);
  }

  orderService(service: Service): void {
    if (this.services.has(service.serviceId)) return;
    this.services.set(service.serviceId, service);
    this.changed.services.add(service.serviceId);
  }

  changeService(serviceId: string, change: Partial<Pick<Service, 'instanceId' | 'ended'>>): void {
    const service = this.services.get(serviceId);
    if (!service) return;
    this.services.set(serviceId, { ...service, ...change });
    this.changed.services.add(serviceId);
  }

  instanceName(instanceId: string): string | undefined {
    return this.instances.get(instanceId);
  }

  registerInstance(instanceId: string, name: string): void {
    if (this.instances.has(instanceId)) return;
    this.instances.set(instanceId, name);
    this.changed.instances.add(instanceId);
  }

  invoice(invoiceId: string): Invoice | undefined {
    return this.invoices.get(invoiceId);
  }

  issueInvoice(invoice: Invoice): void {
    if (this.invoices.has(invoice.invoiceId)) return;
    this.invoices.set(invoice.invoiceId, invoice);
    this.changed.invoices.add(invoice.invoiceId);
  }

  /** The live services on an instance, by contract then service, as the incident messages list them. */
  servicesOn(instanceId: string): Service[] {
    return [...this.services.values()]
      .filter((service) => service.instanceId === instanceId && !service.ended)
      .sort((a, b) => this.byRank(a.contractId, b.contractId) || this.byRank(a.serviceId, b.serviceId));
  }

  /**
   * Whom a contract's message goes to: `first` (a ticket's opener), the owner, then the contacts of `category`
   * by contact id; one message per address, an address named twice (the owner who opened the ticket) once with
   * both reasons.
   */
  recipientsOf(contractId: string, category: ContactCategory, first: readonly Recipient[] = []): Recipient[] {
    const owner = this.owners.get(contractId);
    const contacts = [...(this.contactsOfContract.get(contractId)?.values() ?? [])].sort((a, b) =>
      this.byRank(a.contactId, b.contactId),
    );
    const candidates: Recipient[] = [
      ...first,
      ...(owner === undefined ? [] : [{ email: owner, reasons: ['owner' as const] }]),
      ...contacts
        .filter((contact) => contact.categories.includes(category))
        .map((contact) => ({ email: contact.email, reasons: [`contact:${category}` as const] })),
    ];
    const byAddress = new Map<string, Recipient>();
    for (const candidate of candidates) {
      const key = candidate.email.trim().toLowerCase();
      const known = byAddress.get(key);
      if (known) known.reasons.push(...candidate.reasons.filter((reason) => !known.reasons.includes(reason)));
      else byAddress.set(key, { email: candidate.email.trim(), reasons: [...candidate.reasons] });
    }
    return [...byAddress.values()];
  }

  /** Writes what the batch changed: one statement per table (or a few, for a very large batch). */
  async write(trx: Trx): Promise<void> {
    const owners = [...this.changed.owners].map((contractId) => ({
      contract_id: contractId,
      owner_email: this.owners.get(contractId)!,
    }));
    for (const part of chunked(owners)) {
      await trx
        .insertInto('notification_contracts')
        .values(part)
        .onConflict((conflict) =>
          conflict
            .column('contract_id')
            .doUpdateSet((eb) => ({ owner_email: eb.ref('excluded.owner_email') })),
        )
        .execute();
    }
    const removed = [...this.changed.contacts].filter((contactId) => !this.contacts.has(contactId));
    if (removed.length > 0)
      await trx
        .deleteFrom('notification_contacts')
        .where(anyOf('contact_id', new Set(removed)))
        .execute();
    const contacts = [...this.changed.contacts].flatMap((contactId) => {
      const contact = this.contacts.get(contactId);
      return contact
        ? [
            {
              contact_id: contact.contactId,
              contract_id: contact.contractId,
              email: contact.email,
              categories: toJson(contact.categories),
            },
          ]
        : [];
    });
    for (const part of chunked(contacts)) {
      await trx
        .insertInto('notification_contacts')
        .values(part)
        .onConflict((conflict) =>
          conflict.column('contact_id').doUpdateSet((eb) => ({
            contract_id: eb.ref('excluded.contract_id'),
            email: eb.ref('excluded.email'),
            categories: eb.ref('excluded.categories'),
          })),
        )
        .execute();
    }
    const services = [...this.changed.services].map((serviceId) => {
      const service = this.services.get(serviceId)!;
      return {
        service_id: service.serviceId,
        contract_id: service.contractId,
        plan: service.plan,
        instance_id: service.instanceId,
        ended: service.ended,
      };
    });
    for (const part of chunked(services)) {
      await trx
        .insertInto('notification_services')
        .values(part)
        .onConflict((conflict) =>
          conflict.column('service_id').doUpdateSet((eb) => ({
            instance_id: eb.ref('excluded.instance_id'),
            ended: eb.ref('excluded.ended'),
          })),
        )
        .execute();
    }
    const instances = [...this.changed.instances].map((instanceId) => ({
      instance_id: instanceId,
      name: this.instances.get(instanceId)!,
    }));
    for (const part of chunked(instances)) {
      await trx
        .insertInto('notification_instances')
        .values(part)
        .onConflict((conflict) => conflict.column('instance_id').doNothing())
        .execute();
    }
    const invoices = [...this.changed.invoices].map((invoiceId) => {
      const invoice = this.invoices.get(invoiceId)!;
      return {
        invoice_id: invoice.invoiceId,
        contract_id: invoice.contractId,
        total_cents: invoice.totalCents,
      };
    });
    for (const part of chunked(invoices)) {
      await trx
        .insertInto('notification_invoices')
        .values(part)
        .onConflict((conflict) => conflict.column('invoice_id').doNothing())
        .execute();
    }
  }
}

/** Rows per multi-row insert: the widest table (the outbox, 18 columns) stays under Postgres's 65,535 parameters. */
const CHUNK = 2_000;

const chunked = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) out.push(items.slice(start, start + CHUNK));
  return out;
};

/** The outbox rows of `text` to each recipient; the ids come from the cause event, so a replay inserts nothing. */
const messages = (
  cause: RecordedEvent,
  kind: NotificationKind,
  contractId: string,
  recipients: readonly Recipient[],
  text: MessageText,
): NewNotificationRow[] => {
  const at = cause.metadata.occurredAt;
  return recipients.map((recipient) => ({
    message_id: deterministicUuid('notification', cause.id, contractId, recipient.email.toLowerCase()),
    kind,
    cause_event_id: cause.id,
    contract_id: contractId,
    recipient_email: recipient.email,
    recipient_reasons: toJson(recipient.reasons),
    subject: text.subject,
    body: text.body,
    status: 'queued',
    channel: null,
    attempts: 0,
    next_attempt_at: null,
    lease_until: null,
    lease_owner: null,
    last_error: null,
    created_at: at,
    sent_at: null,
    updated_at: at,
  }));
};

/** An incident's messages: one per contract with a service on the instance, naming that contract's services. */
const incidentMessages = (
  directory: Directory,
  cause: RecordedEvent,
  kind: 'incident_opened' | 'incident_resolved',
  instanceId: string,
  textFor: (instanceName: string, services: readonly ServiceMention[]) => MessageText,
): NewNotificationRow[] => {
  const byContract = new Map<string, ServiceMention[]>();
  for (const service of directory.servicesOn(instanceId)) {
    const mentions = byContract.get(service.contractId) ?? [];
    mentions.push({ serviceId: service.serviceId, plan: service.plan });
    byContract.set(service.contractId, mentions);
  }
  const name = directory.instanceName(instanceId) ?? instanceId;
  return [...byContract].flatMap(([contractId, mentions]) =>
    messages(
      cause,
      kind,
      contractId,
      directory.recipientsOf(contractId, 'technical'),
      textFor(name, mentions),
    ),
  );
};

/** Folds one event into the directory and answers the messages it decides. */
const applyOne = (directory: Directory, recorded: RecordedEvent): NewNotificationRow[] => {
  const event = { type: recorded.type, data: recorded.data } as HandledEvent;
  switch (event.type) {
    case 'ContractOpened':
      directory.openContract(event.data.contractId, event.data.owner.email);
      return [];
    case 'ContractOwnershipTransferred':
      directory.transferContract(event.data.contractId, event.data.newOwner.email);
      return [];
    case 'ContactAdded':
      directory.addNewContact({
        contactId: event.data.contactId,
        contractId: event.data.contractId,
        email: event.data.email,
        categories: event.data.categories,
      });
      return [];
    case 'ContactRemoved':
      directory.removeContact(event.data.contactId);
      return [];
    case 'ServiceOrdered':
      directory.orderService({
        serviceId: event.data.serviceId,
        contractId: event.data.contractId,
        plan: event.data.plan,
        instanceId: null,
        ended: false,
      });
      return [];
    case 'ServiceProvisioned':
      directory.changeService(event.data.serviceId, { instanceId: event.data.instanceId });
      return [];
    case 'ServiceCancelled':
    case 'ServiceTerminated':
      directory.changeService(event.data.serviceId, { ended: true });
      return [];
    case 'InstanceRegistered':
      directory.registerInstance(event.data.instanceId, event.data.name);
      return [];
    case 'TicketOpened':
    case 'TicketReplied':
    case 'TicketStatusChanged':
    case 'TicketClosed': {
      const { data } = event;
      const recipients = directory.recipientsOf(data.contractId, DEPARTMENT_CATEGORY[data.department], [
        { email: data.openedBy.email, reasons: ['opener'] },
      ]);
      const [kind, text]: [NotificationKind, MessageText] =
        event.type === 'TicketOpened'
          ? ['ticket_opened', ticketOpenedText(event.data)]
          : event.type === 'TicketReplied'
            ? ['ticket_replied', ticketRepliedText(event.data)]
            : event.type === 'TicketStatusChanged'
              ? ['ticket_status_changed', ticketStatusChangedText(event.data)]
              : ['ticket_closed', ticketClosedText(event.data)];
      return messages(recorded, kind, data.contractId, recipients, text);
    }
    case 'InvoiceIssued': {
      const { data } = event;
      directory.issueInvoice({
        invoiceId: data.invoiceId,
        contractId: data.contractId,
        totalCents: data.totalCents,
      });
      return messages(
        recorded,
        'invoice_issued',
        data.contractId,
        directory.recipientsOf(data.contractId, 'billing'),
        invoiceIssuedText(data),
      );
    }
    case 'InvoiceMarkedOverdue': {
      const invoice = directory.invoice(event.data.invoiceId);
      if (!invoice) return [];
      return messages(
        recorded,
        'invoice_overdue',
        invoice.contractId,
        directory.recipientsOf(invoice.contractId, 'billing'),
        invoiceOverdueText({ ...event.data, totalCents: invoice.totalCents }),
      );
    }
    case 'ServiceSuspended':
    case 'ServiceReactivated': {
      const service = directory.service(event.data.serviceId);
      if (!service) return [];
      const mention = { serviceId: service.serviceId, plan: service.plan };
      const [kind, reason, text]: [NotificationKind, SuspensionReason, MessageText] =
        event.type === 'ServiceSuspended'
          ? [
              'service_suspended',
              event.data.reason,
              serviceSuspendedText({ ...mention, ...event.data, at: event.data.suspendedAt }),
            ]
          : [
              'service_reactivated',
              event.data.previousReason,
              serviceReactivatedText({ ...mention, by: event.data.by, at: event.data.reactivatedAt }),
            ];
      return messages(
        recorded,
        kind,
        service.contractId,
        directory.recipientsOf(service.contractId, suspensionCategory(reason)),
        text,
      );
    }
    case 'IncidentOpened':
      return incidentMessages(
        directory,
        recorded,
        'incident_opened',
        event.data.instanceId,
        (instanceName, services) => incidentOpenedText({ ...event.data, instanceName, services }),
      );
    case 'IncidentResolved':
      return incidentMessages(
        directory,
        recorded,
        'incident_resolved',
        event.data.instanceId,
        (instanceName, services) => incidentResolvedText({ ...event.data, instanceName, services }),
      );
    default: {
      const _exhaustive: never = event;
      return [];
    }
  }
};

/**
 * A batch at once: its new events claimed in one statement, the directory they need read in a few, folded in
 * memory in log order (each event seeing the directory as the events before it left it), then the directory's
 * changes and the messages written with one multi-row statement per table.
 */
const applyClaimed = async (trx: Trx, fresh: readonly RecordedEvent[]): Promise<void> => {
  const directory = await Directory.read(trx, namedBy(fresh));
  const outbox = fresh.flatMap((event) => applyOne(directory, event));
  await directory.write(trx);
  await insertRows(trx as unknown as Transaction<unknown>, OUTBOX, outbox, ['message_id']);
};

/** The outbox's columns a new message sets (`seq` is the table's own). */
const OUTBOX: Readonly<{ name: string; columns: TableColumns<Omit<NewNotificationRow, 'seq'>> }> = {
  name: 'notification_outbox',
  columns: {
    message_id: 'value',
    kind: 'value',
    cause_event_id: 'value',
    contract_id: 'value',
    recipient_email: 'value',
    recipient_reasons: 'json',
    subject: 'value',
    body: 'value',
    status: 'value',
    channel: 'value',
    attempts: 'value',
    next_attempt_at: 'value',
    lease_until: 'value',
    lease_owner: 'value',
    last_error: 'value',
    created_at: 'value',
    sent_at: 'value',
    updated_at: 'value',
  },
};

/**
 * The notifications decided by the events: each ticket interaction to the ticket's opener, the owner and the
 * contacts of the department's category; invoices issued and overdue to the owner and the billing contacts;
 * suspensions and reactivations to the owner and the billing (non-payment) or technical contacts; incidents to the
 * owner and the technical contacts of every contract with a service on the instance. A reopening is not notified
 * on its own: the customer reply that reopens the ticket always follows it. Rows go to `notification_outbox` in
 * the transaction of the checkpoint; the worker's sender delivers them.
 */
export const notificationsProjection: Projection<NotificationsDatabase> = {
  name: NAME,
  version: 1,
  handles: HANDLED,
  apply: applyNewEvents(NAME, applyClaimed),
};

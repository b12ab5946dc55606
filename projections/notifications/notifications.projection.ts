import type { Transaction } from 'kysely';
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
import { applyEachNewEvent, type Projection } from '@app/projection-runner';
import { toJson } from '../shared';
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

/**
 * Whom a contract's message goes to: `first` (a ticket's opener), the owner, then the contacts of `category`;
 * one message per address, an address named twice (the owner who opened the ticket) once with both reasons.
 */
const recipientsOf = async (
  trx: Trx,
  contractId: string,
  category: ContactCategory,
  first: readonly Recipient[] = [],
): Promise<Recipient[]> => {
  const contract = await trx
    .selectFrom('notification_contracts')
    .select('owner_email')
    .where('contract_id', '=', contractId)
    .executeTakeFirst();
  const contacts = await trx
    .selectFrom('notification_contacts')
    .select(['email', 'categories'])
    .where('contract_id', '=', contractId)
    .orderBy('contact_id')
    .execute();
  const candidates: Recipient[] = [
    ...first,
    ...(contract ? [{ email: contract.owner_email, reasons: ['owner' as const] }] : []),
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
};

/** Queues `text` for each recipient; the ids come from the cause event, so a replay inserts nothing. */
const enqueue = async (
  trx: Trx,
  cause: RecordedEvent,
  kind: NotificationKind,
  contractId: string,
  recipients: readonly Recipient[],
  text: MessageText,
): Promise<void> => {
  if (recipients.length === 0) return;
  const at = cause.metadata.occurredAt;
  const rows: NewNotificationRow[] = recipients.map((recipient) => ({
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
  await trx
    .insertInto('notification_outbox')
    .values(rows)
    .onConflict((conflict) => conflict.column('message_id').doNothing())
    .execute();
};

const serviceById = (trx: Trx, serviceId: string) =>
  trx
    .selectFrom('notification_services')
    .select(['service_id', 'contract_id', 'plan'])
    .where('service_id', '=', serviceId)
    .executeTakeFirst();

/** An incident's messages: one per contract with a service on the instance, naming that contract's services. */
const notifyIncident = async (
  trx: Trx,
  cause: RecordedEvent,
  kind: 'incident_opened' | 'incident_resolved',
  instanceId: string,
  textFor: (instanceName: string, services: readonly ServiceMention[]) => MessageText,
): Promise<void> => {
  const instance = await trx
    .selectFrom('notification_instances')
    .select('name')
    .where('instance_id', '=', instanceId)
    .executeTakeFirst();
  const services = await trx
    .selectFrom('notification_services')
    .select(['service_id', 'contract_id', 'plan'])
    .where('instance_id', '=', instanceId)
    .where('ended', '=', false)
    .orderBy('contract_id')
    .orderBy('service_id')
    .execute();
  const byContract = new Map<string, ServiceMention[]>();
  for (const service of services) {
    const mentions = byContract.get(service.contract_id) ?? [];
    mentions.push({ serviceId: service.service_id, plan: service.plan });
    byContract.set(service.contract_id, mentions);
  }
  for (const [contractId, mentions] of byContract) {
    await enqueue(
      trx,
      cause,
      kind,
      contractId,
      await recipientsOf(trx, contractId, 'technical'),
      textFor(instance?.name ?? instanceId, mentions),
    );
  }
};

const applyOne = async (trx: Trx, recorded: RecordedEvent): Promise<void> => {
  const event = { type: recorded.type, data: recorded.data } as HandledEvent;
  switch (event.type) {
    case 'ContractOpened':
      await trx
        .insertInto('notification_contracts')
        .values({ contract_id: event.data.contractId, owner_email: event.data.owner.email })
        .onConflict((conflict) => conflict.column('contract_id').doNothing())
        .execute();
      return;
    case 'ContractOwnershipTransferred':
      await trx
        .updateTable('notification_contracts')
        .set({ owner_email: event.data.newOwner.email })
        .where('contract_id', '=', event.data.contractId)
        .execute();
      return;
    case 'ContactAdded':
      await trx
        .insertInto('notification_contacts')
        .values({
          contact_id: event.data.contactId,
          contract_id: event.data.contractId,
          email: event.data.email,
          categories: toJson(event.data.categories),
        })
        .onConflict((conflict) => conflict.column('contact_id').doNothing())
        .execute();
      return;
    case 'ContactRemoved':
      await trx.deleteFrom('notification_contacts').where('contact_id', '=', event.data.contactId).execute();
      return;
    case 'ServiceOrdered':
      await trx
        .insertInto('notification_services')
        .values({
          service_id: event.data.serviceId,
          contract_id: event.data.contractId,
          plan: event.data.plan,
          instance_id: null,
          ended: false,
        })
        .onConflict((conflict) => conflict.column('service_id').doNothing())
        .execute();
      return;
    case 'ServiceProvisioned':
      await trx
        .updateTable('notification_services')
        .set({ instance_id: event.data.instanceId })
        .where('service_id', '=', event.data.serviceId)
        .execute();
      return;
    case 'ServiceCancelled':
    case 'ServiceTerminated':
      await trx
        .updateTable('notification_services')
        .set({ ended: true })
        .where('service_id', '=', event.data.serviceId)
        .execute();
      return;
    case 'InstanceRegistered':
      await trx
        .insertInto('notification_instances')
        .values({ instance_id: event.data.instanceId, name: event.data.name })
        .onConflict((conflict) => conflict.column('instance_id').doNothing())
        .execute();
      return;
    case 'TicketOpened':
    case 'TicketReplied':
    case 'TicketStatusChanged':
    case 'TicketClosed': {
      const { data } = event;
      const recipients = await recipientsOf(trx, data.contractId, DEPARTMENT_CATEGORY[data.department], [
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
      await enqueue(trx, recorded, kind, data.contractId, recipients, text);
      return;
    }
    case 'InvoiceIssued': {
      const { data } = event;
      await trx
        .insertInto('notification_invoices')
        .values({ invoice_id: data.invoiceId, contract_id: data.contractId, total_cents: data.totalCents })
        .onConflict((conflict) => conflict.column('invoice_id').doNothing())
        .execute();
      await enqueue(
        trx,
        recorded,
        'invoice_issued',
        data.contractId,
        await recipientsOf(trx, data.contractId, 'billing'),
        invoiceIssuedText(data),
      );
      return;
    }
    case 'InvoiceMarkedOverdue': {
      const invoice = await trx
        .selectFrom('notification_invoices')
        .select(['contract_id', 'total_cents'])
        .where('invoice_id', '=', event.data.invoiceId)
        .executeTakeFirst();
      if (!invoice) return;
      await enqueue(
        trx,
        recorded,
        'invoice_overdue',
        invoice.contract_id,
        await recipientsOf(trx, invoice.contract_id, 'billing'),
        invoiceOverdueText({ ...event.data, totalCents: invoice.total_cents }),
      );
      return;
    }
    case 'ServiceSuspended':
    case 'ServiceReactivated': {
      const service = await serviceById(trx, event.data.serviceId);
      if (!service) return;
      const mention = { serviceId: service.service_id, plan: service.plan };
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
      await enqueue(
        trx,
        recorded,
        kind,
        service.contract_id,
        await recipientsOf(trx, service.contract_id, suspensionCategory(reason)),
        text,
      );
      return;
    }
    case 'IncidentOpened':
      await notifyIncident(
        trx,
        recorded,
        'incident_opened',
        event.data.instanceId,
        (instanceName, services) => incidentOpenedText({ ...event.data, instanceName, services }),
      );
      return;
    case 'IncidentResolved':
      await notifyIncident(
        trx,
        recorded,
        'incident_resolved',
        event.data.instanceId,
        (instanceName, services) => incidentResolvedText({ ...event.data, instanceName, services }),
      );
      return;
    default: {
      const _exhaustive: never = event;
      return;
    }
  }
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
  apply: applyEachNewEvent(NAME, applyOne),
};

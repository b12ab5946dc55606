import type { CallbackEvent } from '../callback/callback.events';
import { evolveCallback, initialCallbackState } from '../callback/callback.state';
import type { ContractEvent } from '../contract/contract.events';
import { evolveContract, initialContractState } from '../contract/contract.state';
import type { InstanceEvent } from '../instance/instance.events';
import { evolveInstance, initialInstanceState } from '../instance/instance.state';
import type { InvoiceEvent } from '../invoice/invoice.events';
import { evolveInvoice, initialInvoiceState } from '../invoice/invoice.state';
import type { NotaFiscalSeriesEvent } from '../nota-fiscal/nota-fiscal-series.events';
import type { ServiceEvent } from '../service/service.events';
import { evolveService, initialServiceState } from '../service/service.state';
import type { Message } from '../shared/decider';
import type { TicketEvent } from '../ticket/ticket.events';
import { evolveTicket, initialTicketState } from '../ticket/ticket.state';

/** Asserts at compile time that a list names every type of a union, so a new event type is not forgotten. */
type Complete<All extends string, Listed extends readonly string[]> = [Exclude<All, Listed[number]>] extends [
  never,
]
  ? Listed
  : never;
const everyType =
  <All extends string>() =>
  <const Listed extends readonly All[]>(types: Complete<All, Listed>) =>
    types;

const CONTRACT_EVENT_TYPES = everyType<ContractEvent['type']>()([
  'ContractOpened',
  'UserInvited',
  'InvitationAccepted',
  'InvitationRevoked',
  'InvitationExpired',
  'UserPermissionsChanged',
  'UserRemoved',
  'ContractOwnershipTransferred',
  'ContactAdded',
  'ContactRemoved',
  'PhoneAdded',
  'PhoneRemoved',
  'DefaultPaymentMethodChanged',
  'CallbackRequestOpened',
  'CallbackRequestClosed',
]);
const SERVICE_EVENT_TYPES = everyType<ServiceEvent['type']>()([
  'ServiceOrdered',
  'ServiceProvisioned',
  'ServiceInvoicePaid',
  'ServiceActivated',
  'ServiceSuspended',
  'ServiceReactivated',
  'ServiceCancellationScheduled',
  'ServiceCancelled',
  'ServiceTerminated',
  'ServicePaymentMethodChanged',
]);
const INVOICE_EVENT_TYPES = everyType<InvoiceEvent['type']>()([
  'InvoiceIssued',
  'InvoiceMarkedOverdue',
  'InvoicePaid',
  'InvoiceRefunded',
  'InvoiceCancelled',
  'NotaFiscalIssued',
  'NotaFiscalCancelled',
]);
const TICKET_EVENT_TYPES = everyType<TicketEvent['type']>()([
  'TicketOpened',
  'TicketReplied',
  'TicketReopened',
  'TicketStatusChanged',
  'TicketClosed',
]);
const CALLBACK_EVENT_TYPES = everyType<CallbackEvent['type']>()([
  'CallbackRequested',
  'CallbackCompleted',
  'CallbackMarkedUnreachable',
  'CallbackCancelled',
]);
const INSTANCE_EVENT_TYPES = everyType<InstanceEvent['type']>()([
  'InstanceRegistered',
  'IncidentOpened',
  'IncidentUpdated',
  'IncidentResolved',
]);
const NOTA_FISCAL_SERIES_EVENT_TYPES = everyType<NotaFiscalSeriesEvent['type']>()([
  'NotaFiscalNumberAllocated',
]);

/**
 * An aggregate as the audit log folds it: its stream category, its event types, the domain's own `evolve` and
 * initial state, and the contract a stream belongs to, read from the stream's first event (`null`: no contract's).
 */
export type AuditedAggregate = Readonly<{
  category: string;
  eventTypes: readonly string[];
  initialState: () => unknown;
  evolve: (state: unknown, event: Message) => unknown;
  contractIdOf: (firstEvent: Message) => string | null;
}>;

const contractIdInData = (event: Message): string | null => {
  const id = (event.data as { contractId?: unknown } | null)?.contractId;
  return typeof id === 'string' ? id : null;
};

const aggregate = <Event extends Message, State>(
  category: string,
  eventTypes: readonly Event['type'][],
  initialState: () => State,
  evolve: (state: State, event: Event) => State,
  contractIdOf: (firstEvent: Message) => string | null = contractIdInData,
): AuditedAggregate => ({
  category,
  eventTypes,
  initialState,
  evolve: (state, event) => evolve(state as State, event as Event),
  contractIdOf,
});

/**
 * The aggregates that make up a contract's history (the contract and its services, invoices, tickets and
 * call-backs), keyed by stream category. Instances belong to no contract; their events are still in the log
 * the audit reads by correlation.
 */
export const CONTRACT_AGGREGATES: Readonly<Record<string, AuditedAggregate>> = {
  contract: aggregate('contract', CONTRACT_EVENT_TYPES, initialContractState, evolveContract),
  service: aggregate('service', SERVICE_EVENT_TYPES, initialServiceState, evolveService),
  invoice: aggregate('invoice', INVOICE_EVENT_TYPES, initialInvoiceState, evolveInvoice),
  ticket: aggregate('ticket', TICKET_EVENT_TYPES, initialTicketState, evolveTicket),
  callback: aggregate('callback', CALLBACK_EVENT_TYPES, initialCallbackState, evolveCallback),
};

/** Aggregates folded for per-field changes that belong to no contract. */
export const OTHER_AUDITED_AGGREGATES: Readonly<Record<string, AuditedAggregate>> = {
  instance: aggregate('instance', INSTANCE_EVENT_TYPES, initialInstanceState, evolveInstance, () => null),
};

/** The stream categories of a contract's history, in the order its state lists them. */
export const CONTRACT_STREAM_CATEGORIES = Object.keys(CONTRACT_AGGREGATES);

/** Every event type of the domain, each aggregate's; the audit log keeps them all. */
export const ALL_EVENT_TYPES: readonly string[] = [
  ...Object.values(CONTRACT_AGGREGATES).flatMap((each) => each.eventTypes),
  ...INSTANCE_EVENT_TYPES,
  ...NOTA_FISCAL_SERIES_EVENT_TYPES,
];

/** The aggregate a stream category folds with, if the audit folds it. */
export const auditedAggregateOf = (category: string): AuditedAggregate | undefined =>
  CONTRACT_AGGREGATES[category] ?? OTHER_AUDITED_AGGREGATES[category];

import { isStaff } from '../shared/actor';
import { nowOf } from '../shared/command-time';
import type { Decider } from '../shared/decider';
import { DomainError, InvalidValueError } from '../shared/domain-error';
import { assertNever } from '../shared/exhaustive';
import { nextDueDate, parseBillingCycle } from '../value-objects/billing-cycle';
import { isOnOrAfter, localDate, parseInstant, parseLocalDate } from '../value-objects/calendar';
import { parseIdentifier } from '../value-objects/identifier';
import { parseCents } from '../value-objects/money';
import { parsePaymentMethod } from '../value-objects/payment-method';
import { parseServiceKind, suspensionDate } from '../value-objects/service-kind';
import type {
  CancelService,
  ChangeServicePaymentMethod,
  CompleteScheduledCancellation,
  OrderService,
  ProvisionService,
  ReactivateService,
  RecordInvoicePaid,
  ServiceCommand,
  SuspendService,
  TerminateService,
} from './service.commands';
import type { ServiceEvent } from './service.events';
import {
  CANCELLATION_TIMINGS,
  isAdministrativeSuspension,
  REACTIVATED_BY,
  SUSPENSION_REASONS,
  TERMINATION_CAUSES,
} from './service.events';
import type { OrderedServiceState, PendingService, ServiceState } from './service.state';
import { evolveService, initialServiceState, isLive, retentionEndsOn } from './service.state';

const refuse = (state: ServiceState, command: ServiceCommand, extra: Record<string, unknown> = {}): never => {
  throw new DomainError('INVALID_TRANSITION', `A ${state.status} service cannot accept ${command.type}`, {
    from: state.status,
    command: command.type,
    ...extra,
  });
};

/** Longest plan, reason, note or protocol number accepted, in characters, after trimming. */
export const SERVICE_TEXT_MAX_LENGTH = 1_000;

const text = (value: unknown, field: string): string => {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed === '') throw new InvalidValueError(field, `${field} must not be blank`);
  if (trimmed.length > SERVICE_TEXT_MAX_LENGTH) {
    throw new InvalidValueError(field, `${field} must have at most ${SERVICE_TEXT_MAX_LENGTH} characters`);
  }
  return trimmed;
};

const optionalText = (value: unknown, field: string): string | null =>
  value === undefined || (typeof value === 'string' && value.trim() === '') ? null : text(value, field);

const oneOf = <T extends string>(value: unknown, allowed: readonly T[], field: string): T => {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new InvalidValueError(field, `${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
};

const forbidden = (message: string): never => {
  throw new DomainError('FORBIDDEN', message);
};

const order = (command: OrderService): readonly ServiceEvent[] => {
  const { data } = command;
  const orderedAt = nowOf(command);
  const serviceId = parseIdentifier(data.serviceId, 'serviceId');
  const contractId = parseIdentifier(data.contractId, 'contractId');
  const kind = parseServiceKind(data.kind);
  const plan = text(data.plan, 'plan');
  const billingCycle = parseBillingCycle(data.billingCycle);
  if (parseCents(data.priceCents, 'priceCents') === 0) {
    throw new InvalidValueError('priceCents', 'priceCents must be a positive whole number of cents');
  }
  const isAddon = kind === 'addon';
  if (isAddon && (data.parentServiceId === undefined || data.parentKind === undefined)) {
    throw new InvalidValueError('parentServiceId', 'an add-on needs its parent service and its kind');
  }
  if (!isAddon && (data.parentServiceId !== undefined || data.parentKind !== undefined)) {
    throw new InvalidValueError('parentServiceId', 'only add-ons have a parent service');
  }
  const parentServiceId =
    data.parentServiceId === undefined ? null : parseIdentifier(data.parentServiceId, 'parentServiceId');
  const parentKind = data.parentKind === undefined ? null : parseServiceKind(data.parentKind, 'parentKind');
  // Day rules follow the parent's kind, and an add-on has no kind of its own to lend.
  if (parentKind === 'addon') {
    throw new InvalidValueError('parentServiceId', 'the parent of an add-on cannot be an add-on itself');
  }
  const firstDueDate = localDate(orderedAt);
  return [
    {
      type: 'ServiceOrdered',
      data: {
        serviceId,
        contractId,
        kind,
        plan,
        billingCycle,
        priceCents: parseCents(data.priceCents, 'priceCents'),
        parentServiceId,
        parentKind,
        paymentMethod:
          data.paymentMethod === undefined ? null : parsePaymentMethod(data.paymentMethod, orderedAt),
        orderedAt,
        firstDueDate,
        anchorDay: Number(firstDueDate.slice(8)),
      },
    },
  ];
};

const activated = (state: PendingService, at: string): ServiceEvent => ({
  type: 'ServiceActivated',
  data: { serviceId: state.serviceId, activatedAt: at },
});

const provision = (command: ProvisionService, state: OrderedServiceState): readonly ServiceEvent[] => {
  const instanceId = parseIdentifier(command.data.instanceId, 'instanceId');
  const at = nowOf(command);
  if (state.status !== 'pending') return refuse(state, command);
  if (state.instanceId === instanceId) return [];
  if (state.instanceId !== null) return refuse(state, command, { instanceId: state.instanceId });
  const provisioned: ServiceEvent = {
    type: 'ServiceProvisioned',
    data: { serviceId: state.serviceId, instanceId, provisionedAt: at },
  };
  return state.firstPaymentReceived ? [provisioned, activated(state, at)] : [provisioned];
};

const recordInvoicePaid = (
  command: RecordInvoicePaid,
  state: OrderedServiceState,
): readonly ServiceEvent[] => {
  const invoiceId = parseIdentifier(command.data.invoiceId, 'invoiceId');
  const paidAt = parseInstant(command.data.paidAt, 'paidAt');
  if (state.paidInvoiceIds.includes(invoiceId)) return [];
  if (state.status === 'cancelled' || state.status === 'terminated') return refuse(state, command);
  const paid: ServiceEvent = {
    type: 'ServiceInvoicePaid',
    data: {
      serviceId: state.serviceId,
      invoiceId,
      paidAt,
      previousDueDate: state.nextDueDate,
      nextDueDate: nextDueDate(state.nextDueDate, state.billingCycle, state.anchorDay),
    },
  };
  return state.status === 'pending' && state.instanceId !== null ? [paid, activated(state, paidAt)] : [paid];
};

/**
 * Suspends the service. Non-payment is refused before the grace has run: the 10th day (3rd for cloud and
 * dedicated servers, an add-on by its parent's kind) after the unpaid invoice's original due date, counted in
 * Sao Paulo days up to `metadata.now`. Administrative reasons need a staff actor; `parent_suspended` is for
 * add-ons. The same suspension again changes nothing; staff may turn an automatic suspension administrative.
 */
const suspend = (command: SuspendService, state: OrderedServiceState): readonly ServiceEvent[] => {
  const { data } = command;
  const at = nowOf(command);
  const reason = oneOf(data.reason, SUSPENSION_REASONS, 'reason');
  const note = optionalText(data.note, 'note');
  const unpaid =
    data.reason === 'non_payment'
      ? {
          invoiceId: parseIdentifier(data.invoiceId, 'invoiceId'),
          dueDate: parseLocalDate(data.invoiceDueDate, 'invoiceDueDate'),
        }
      : null;
  if (isAdministrativeSuspension(reason) && !isStaff(command.metadata.actor)) {
    forbidden('Only staff suspend a service for a reason other than non-payment.');
  }
  if (state.status === 'suspended') {
    if (state.suspension.reason === reason) return [];
    // Staff may turn an automatic suspension into an administrative one; nothing else replaces a suspension.
    const escalates =
      isAdministrativeSuspension(reason) && !isAdministrativeSuspension(state.suspension.reason);
    if (!escalates) return refuse(state, command, { reason: state.suspension.reason });
  } else if (state.status !== 'active') {
    return refuse(state, command);
  } else if (reason === 'parent_suspended' && state.kind !== 'addon') {
    return refuse(state, command, { reason });
  } else if (unpaid !== null) {
    const due = suspensionDate(state.kind, unpaid.dueDate, state.parentKind ?? undefined);
    if (!isOnOrAfter(localDate(at), due)) return refuse(state, command, { suspensionDate: due });
  }
  return [
    {
      type: 'ServiceSuspended',
      data: {
        serviceId: state.serviceId,
        reason,
        invoiceId: unpaid?.invoiceId ?? null,
        note,
        suspendedAt: at,
        suspendedOn: localDate(at),
      },
    },
  ];
};

const reactivate = (command: ReactivateService, state: OrderedServiceState): readonly ServiceEvent[] => {
  const { data } = command;
  const by = oneOf(data.by, REACTIVATED_BY, 'by');
  const at = nowOf(command);
  if (by === 'staff' && !isStaff(command.metadata.actor)) {
    forbidden('Only staff lift a suspension by hand.');
  }
  if (state.status !== 'suspended') return refuse(state, command);
  const reason = state.suspension.reason;
  if (by !== 'staff' && isAdministrativeSuspension(reason)) {
    throw new DomainError(
      'SUSPENDED_BY_STAFF',
      'This service was suspended by staff; only staff can reactivate it',
      {
        reason,
      },
    );
  }
  // Each automatic path lifts only its own cause: a payment never lifts a suspension the parent still holds.
  if (by === 'parent' && reason !== 'parent_suspended') return refuse(state, command, { reason });
  if (by === 'payment' && reason !== 'non_payment') return refuse(state, command, { reason });
  if (data.by === 'payment' && data.noOverdueInvoiceRemains !== true) {
    return refuse(state, command, { reason, overdueInvoicesRemain: true });
  }
  return [
    {
      type: 'ServiceReactivated',
      data: { serviceId: state.serviceId, by, previousReason: reason, reactivatedAt: at },
    },
  ];
};

const cancel = (command: CancelService, state: OrderedServiceState): readonly ServiceEvent[] => {
  const requestedAt = nowOf(command);
  const when = oneOf(command.data.when, CANCELLATION_TIMINGS, 'when');
  const reason = text(command.data.reason, 'reason');
  const protocolNumber = text(command.data.protocolNumber, 'protocolNumber');
  if (state.status === 'cancelled' || state.status === 'terminated') return refuse(state, command);
  if (when === 'immediate') {
    return [
      {
        type: 'ServiceCancelled',
        data: {
          serviceId: state.serviceId,
          when: 'immediate',
          reason,
          protocolNumber,
          requestedAt,
          cancelledAt: requestedAt,
        },
      },
    ];
  }
  // A pending service has no paid period to run out.
  if (state.status === 'pending') return refuse(state, command, { when });
  if (state.scheduledCancellation !== null) {
    return refuse(state, command, { when, effectiveOn: state.scheduledCancellation.effectiveOn });
  }
  return [
    {
      type: 'ServiceCancellationScheduled',
      data: {
        serviceId: state.serviceId,
        reason,
        protocolNumber,
        requestedAt,
        effectiveOn: state.nextDueDate,
      },
    },
  ];
};

const completeScheduledCancellation = (
  command: CompleteScheduledCancellation,
  state: OrderedServiceState,
): readonly ServiceEvent[] => {
  if ((state.status !== 'active' && state.status !== 'suspended') || state.scheduledCancellation === null) {
    return refuse(state, command);
  }
  const scheduled = state.scheduledCancellation;
  const at = nowOf(command);
  if (!isOnOrAfter(localDate(at), scheduled.effectiveOn)) {
    return refuse(state, command, { effectiveOn: scheduled.effectiveOn });
  }
  return [
    {
      type: 'ServiceCancelled',
      data: {
        serviceId: state.serviceId,
        when: 'end_of_period',
        reason: scheduled.reason,
        protocolNumber: scheduled.protocolNumber,
        requestedAt: scheduled.requestedAt,
        cancelledAt: at,
      },
    },
  ];
};

const terminate = (command: TerminateService, state: OrderedServiceState): readonly ServiceEvent[] => {
  const cause =
    command.data.cause === undefined
      ? 'retention_elapsed'
      : oneOf(command.data.cause, TERMINATION_CAUSES, 'cause');
  const at = nowOf(command);
  const terminated: ServiceEvent = {
    type: 'ServiceTerminated',
    data: { serviceId: state.serviceId, cause, terminatedAt: at },
  };
  if (cause === 'parent_terminated') {
    return isLive(state) && state.kind === 'addon' ? [terminated] : refuse(state, command, { cause });
  }
  if (state.status !== 'suspended') return refuse(state, command, { cause });
  // Retention runs out only on a non-payment suspension: staff's own suspensions wait for staff.
  const { reason } = state.suspension;
  if (reason !== 'non_payment') return refuse(state, command, { cause, reason });
  const due = retentionEndsOn(state);
  return isOnOrAfter(localDate(at), due) ? [terminated] : refuse(state, command, { terminationDate: due });
};

/** Gives a live service its own payment method, parsed as of the command's time, or the contract's again. */
const changePaymentMethod = (
  command: ChangeServicePaymentMethod,
  state: OrderedServiceState,
): readonly ServiceEvent[] => {
  const changedAt = nowOf(command);
  const input = command.data.paymentMethod;
  const paymentMethod = input === null ? null : parsePaymentMethod(input, changedAt);
  if (!isLive(state)) return refuse(state, command);
  return [
    { type: 'ServicePaymentMethodChanged', data: { serviceId: state.serviceId, paymentMethod, changedAt } },
  ];
};

/**
 * Decides what a command does to a service, or throws a {@link DomainError}: `VALIDATION_FAILED` for a value that
 * does not parse, `ALREADY_EXISTS` for a second order, `NOT_FOUND` for any other command before the order,
 * `FORBIDDEN` for a staff-only suspension or reactivation sent by someone else, `SUSPENDED_BY_STAFF` for an
 * automatic reactivation of an administrative suspension, `INVALID_TRANSITION` (details `{ from, command, … }`)
 * for anything else not allowed, a suspension before its grace ended included. Returns `[]` for a repeat that
 * changes nothing (an invoice already applied, the same suspension again).
 */
export const decideService = (command: ServiceCommand, state: ServiceState): readonly ServiceEvent[] => {
  if (command.type === 'OrderService') {
    if (state.status !== 'none') {
      throw new DomainError('ALREADY_EXISTS', 'This service was already ordered', { from: state.status });
    }
    return order(command);
  }
  if (state.status === 'none') {
    throw new DomainError('NOT_FOUND', 'No such service', { from: state.status, command: command.type });
  }
  switch (command.type) {
    case 'ProvisionService':
      return provision(command, state);
    case 'RecordInvoicePaid':
      return recordInvoicePaid(command, state);
    case 'SuspendService':
      return suspend(command, state);
    case 'ReactivateService':
      return reactivate(command, state);
    case 'CancelService':
      return cancel(command, state);
    case 'CompleteScheduledCancellation':
      return completeScheduledCancellation(command, state);
    case 'TerminateService':
      return terminate(command, state);
    case 'ChangeServicePaymentMethod':
      return changePaymentMethod(command, state);
    default:
      return assertNever(command);
  }
};

/** The service aggregate: stream `service-<id>`, see `serviceStream`. */
export const serviceDecider: Decider<ServiceCommand, ServiceEvent, ServiceState> = {
  initialState: initialServiceState,
  evolve: evolveService,
  decide: decideService,
};

import { nowOf } from '../shared/command-time';
import type { Decider } from '../shared/decider';
import { DomainError, InvalidValueError } from '../shared/domain-error';
import { assertNever } from '../shared/exhaustive';
import { nextDueDate } from '../value-objects/billing-cycle';
import { isOnOrAfter, localDate } from '../value-objects/calendar';
import type {
  CancelService,
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
import { isAdministrativeSuspension } from './service.events';
import type { OrderedServiceState, PendingService, ServiceState } from './service.state';
import { evolveService, initialServiceState, isLive, retentionEndsOn } from './service.state';

const refuse = (state: ServiceState, command: ServiceCommand, extra: Record<string, unknown> = {}): never => {
  throw new DomainError('INVALID_TRANSITION', `A ${state.status} service cannot accept ${command.type}`, {
    from: state.status,
    command: command.type,
    ...extra,
  });
};

const order = (command: OrderService): readonly ServiceEvent[] => {
  const { data } = command;
  if (!Number.isSafeInteger(data.priceCents) || data.priceCents <= 0) {
    throw new InvalidValueError('priceCents', 'priceCents must be a positive whole number of cents');
  }
  const isAddon = data.kind === 'addon';
  if (isAddon && (data.parentServiceId === undefined || data.parentKind === undefined)) {
    throw new InvalidValueError('parentServiceId', 'an add-on needs its parent service and its kind');
  }
  if (!isAddon && (data.parentServiceId !== undefined || data.parentKind !== undefined)) {
    throw new InvalidValueError('parentServiceId', 'only add-ons have a parent service');
  }
  const orderedAt = nowOf(command);
  const firstDueDate = localDate(orderedAt);
  return [
    {
      type: 'ServiceOrdered',
      data: {
        serviceId: data.serviceId,
        contractId: data.contractId,
        kind: data.kind,
        plan: data.plan,
        billingCycle: data.billingCycle,
        priceCents: data.priceCents,
        parentServiceId: data.parentServiceId ?? null,
        parentKind: data.parentKind ?? null,
        paymentMethod: data.paymentMethod ?? null,
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
  if (state.status !== 'pending') return refuse(state, command);
  if (state.instanceId === command.data.instanceId) return [];
  if (state.instanceId !== null) return refuse(state, command, { instanceId: state.instanceId });
  const at = nowOf(command);
  const provisioned: ServiceEvent = {
    type: 'ServiceProvisioned',
    data: { serviceId: state.serviceId, instanceId: command.data.instanceId, provisionedAt: at },
  };
  return state.firstPaymentReceived ? [provisioned, activated(state, at)] : [provisioned];
};

const recordInvoicePaid = (
  command: RecordInvoicePaid,
  state: OrderedServiceState,
): readonly ServiceEvent[] => {
  const { invoiceId, paidAt } = command.data;
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

const suspend = (command: SuspendService, state: OrderedServiceState): readonly ServiceEvent[] => {
  const { data } = command;
  const at = nowOf(command);
  if (state.status === 'suspended') {
    if (state.suspension.reason === data.reason) return [];
    // Staff may turn an automatic suspension into an administrative one; nothing else replaces a suspension.
    const escalates =
      isAdministrativeSuspension(data.reason) && !isAdministrativeSuspension(state.suspension.reason);
    if (!escalates) return refuse(state, command, { reason: state.suspension.reason });
  } else if (state.status !== 'active') {
    return refuse(state, command);
  }
  return [
    {
      type: 'ServiceSuspended',
      data: {
        serviceId: state.serviceId,
        reason: data.reason,
        invoiceId: data.reason === 'non_payment' ? data.invoiceId : null,
        note: data.note ?? null,
        suspendedAt: at,
        suspendedOn: localDate(at),
      },
    },
  ];
};

const reactivate = (command: ReactivateService, state: OrderedServiceState): readonly ServiceEvent[] => {
  if (state.status !== 'suspended') return refuse(state, command);
  const { data } = command;
  const at = nowOf(command);
  const reason = state.suspension.reason;
  if (data.by !== 'staff' && isAdministrativeSuspension(reason)) {
    throw new DomainError(
      'SUSPENDED_BY_STAFF',
      'This service was suspended by staff; only staff can reactivate it',
      {
        reason,
      },
    );
  }
  // Each automatic path lifts only its own cause: a payment never lifts a suspension the parent still holds.
  if (data.by === 'parent' && reason !== 'parent_suspended') return refuse(state, command, { reason });
  if (data.by === 'payment' && reason !== 'non_payment') return refuse(state, command, { reason });
  if (data.by === 'payment' && !data.noOverdueInvoiceRemains) {
    return refuse(state, command, { reason, overdueInvoicesRemain: true });
  }
  return [
    {
      type: 'ServiceReactivated',
      data: { serviceId: state.serviceId, by: data.by, previousReason: reason, reactivatedAt: at },
    },
  ];
};

const cancel = (command: CancelService, state: OrderedServiceState): readonly ServiceEvent[] => {
  const { data } = command;
  if (state.status === 'cancelled' || state.status === 'terminated') return refuse(state, command);
  const requestedAt = nowOf(command);
  if (data.when === 'immediate') {
    return [
      {
        type: 'ServiceCancelled',
        data: {
          serviceId: state.serviceId,
          when: 'immediate',
          reason: data.reason,
          protocolNumber: data.protocolNumber,
          requestedAt,
          cancelledAt: requestedAt,
        },
      },
    ];
  }
  // A pending service has no paid period to run out.
  if (state.status === 'pending') return refuse(state, command, { when: data.when });
  if (state.scheduledCancellation !== null) {
    return refuse(state, command, { when: data.when, effectiveOn: state.scheduledCancellation.effectiveOn });
  }
  return [
    {
      type: 'ServiceCancellationScheduled',
      data: {
        serviceId: state.serviceId,
        reason: data.reason,
        protocolNumber: data.protocolNumber,
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
  const cause = command.data.cause ?? 'retention_elapsed';
  const at = nowOf(command);
  const terminated: ServiceEvent = {
    type: 'ServiceTerminated',
    data: { serviceId: state.serviceId, cause, terminatedAt: at },
  };
  if (cause === 'parent_terminated') {
    return isLive(state) && state.kind === 'addon' ? [terminated] : refuse(state, command, { cause });
  }
  if (state.status !== 'suspended') return refuse(state, command, { cause });
  const due = retentionEndsOn(state);
  return isOnOrAfter(localDate(at), due) ? [terminated] : refuse(state, command, { terminationDate: due });
};

/**
 * Decides what a command does to a service, or throws a {@link DomainError}: `ALREADY_EXISTS` for a second order,
 * `NOT_FOUND` for any other command before the order, `SUSPENDED_BY_STAFF` for an automatic reactivation of an
 * administrative suspension, `INVALID_TRANSITION` (details `{ from, command, … }`) for anything else not allowed.
 * Returns `[]` for a repeat that changes nothing (an invoice already applied, the same suspension again).
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
      return isLive(state)
        ? [
            {
              type: 'ServicePaymentMethodChanged',
              data: {
                serviceId: state.serviceId,
                paymentMethod: command.data.paymentMethod,
                changedAt: nowOf(command),
              },
            },
          ]
        : refuse(state, command);
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

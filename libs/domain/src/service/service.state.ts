import type { BillingCycle } from '../value-objects/billing-cycle';
import type { Instant, LocalDate } from '../value-objects/calendar';
import type { Cents } from '../value-objects/money';
import type { PaymentMethod } from '../value-objects/payment-method';
import { terminationDate, type ParentServiceKind, type ServiceKind } from '../value-objects/service-kind';
import type { ServiceEvent, SuspensionReason, TerminationCause } from './service.events';

/** What every ordered service keeps, whatever its status. */
export type ServiceData = Readonly<{
  serviceId: string;
  contractId: string;
  kind: ServiceKind;
  plan: string;
  billingCycle: BillingCycle;
  priceCents: Cents;
  parentServiceId: string | null;
  parentKind: ParentServiceKind | null;
  paymentMethod: PaymentMethod | null;
  orderedAt: Instant;
  nextDueDate: LocalDate;
  anchorDay: number;
  instanceId: string | null;
  /** Invoices already applied to the due date: a second payment of one of them must not advance it again. */
  paidInvoiceIds: readonly string[];
}>;

/** A cancellation waiting for the end of the paid period. */
export type ScheduledCancellation = Readonly<{
  reason: string;
  protocolNumber: string;
  requestedAt: Instant;
  effectiveOn: LocalDate;
}>;

/** Why and since when a service is suspended. */
export type Suspension = Readonly<{
  reason: SuspensionReason;
  invoiceId: string | null;
  note: string | null;
  suspendedAt: Instant;
  /** The Sao Paulo date retention counts from; kept from the first suspension when staff escalate it. */
  suspendedOn: LocalDate;
}>;

/** Ordered, waiting for its first payment and for provisioning (either may come first). */
export type PendingService = ServiceData & Readonly<{ status: 'pending'; firstPaymentReceived: boolean }>;
/** Paid and provisioned, running. */
export type ActiveService = ServiceData &
  Readonly<{ status: 'active'; scheduledCancellation: ScheduledCancellation | null }>;
/**
 * Suspended: still on its server. Suspended for non-payment, it is still billed and is terminated when its
 * retention ends; suspended administratively, it waits for staff.
 */
export type SuspendedService = ServiceData &
  Readonly<{
    status: 'suspended';
    suspension: Suspension;
    scheduledCancellation: ScheduledCancellation | null;
  }>;
/** Cancelled on request (final). */
export type CancelledService = ServiceData &
  Readonly<{ status: 'cancelled'; cancelledAt: Instant; protocolNumber: string }>;
/** Removed from its server (final). */
export type TerminatedService = ServiceData &
  Readonly<{ status: 'terminated'; terminatedAt: Instant; cause: TerminationCause }>;

/** A service that is neither cancelled nor terminated. */
export type LiveService = PendingService | ActiveService | SuspendedService;

/** A service's state, by status. `none` is a stream with no order yet. */
export type ServiceState =
  | Readonly<{ status: 'none' }>
  | PendingService
  | ActiveService
  | SuspendedService
  | CancelledService
  | TerminatedService;

/** A service status, as the API names it (plus `none` before the order). */
export type ServiceStatus = ServiceState['status'];

/** An ordered service in any status. */
export type OrderedServiceState = Exclude<ServiceState, { status: 'none' }>;

/** Whether the service is neither cancelled nor terminated (nor unordered). */
export const isLive = (state: ServiceState): state is LiveService =>
  state.status === 'pending' || state.status === 'active' || state.status === 'suspended';

/**
 * The Sao Paulo date on which a suspended service's **retention** ends: a service suspended for non-payment may
 * then be terminated.
 */
export const retentionEndsOn = (state: SuspendedService): LocalDate =>
  terminationDate(state.kind, state.suspension.suspendedOn, state.parentKind ?? undefined);

/** The state of a stream with no events. */
export const initialServiceState = (): ServiceState => ({ status: 'none' });

const dataOf = (state: OrderedServiceState): ServiceData => ({
  serviceId: state.serviceId,
  contractId: state.contractId,
  kind: state.kind,
  plan: state.plan,
  billingCycle: state.billingCycle,
  priceCents: state.priceCents,
  parentServiceId: state.parentServiceId,
  parentKind: state.parentKind,
  paymentMethod: state.paymentMethod,
  orderedAt: state.orderedAt,
  nextDueDate: state.nextDueDate,
  anchorDay: state.anchorDay,
  instanceId: state.instanceId,
  paidInvoiceIds: state.paidInvoiceIds,
});

const scheduledCancellationOf = (state: OrderedServiceState): ScheduledCancellation | null =>
  state.status === 'active' || state.status === 'suspended' ? state.scheduledCancellation : null;

/**
 * Folds one event into the state. Events that don't fit the current status (or that this version doesn't know)
 * leave it unchanged: the decider never emits them, and replay must not fail on history.
 */
export const evolveService = (state: ServiceState, event: ServiceEvent): ServiceState => {
  if (event.type === 'ServiceOrdered') {
    const { data } = event;
    return {
      status: 'pending',
      firstPaymentReceived: false,
      serviceId: data.serviceId,
      contractId: data.contractId,
      kind: data.kind,
      plan: data.plan,
      billingCycle: data.billingCycle,
      priceCents: data.priceCents,
      parentServiceId: data.parentServiceId,
      parentKind: data.parentKind,
      paymentMethod: data.paymentMethod,
      orderedAt: data.orderedAt,
      nextDueDate: data.firstDueDate,
      anchorDay: data.anchorDay,
      instanceId: null,
      paidInvoiceIds: [],
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ServiceProvisioned':
      return { ...state, instanceId: event.data.instanceId };
    case 'ServiceInvoicePaid': {
      const paid = {
        ...state,
        nextDueDate: event.data.nextDueDate,
        paidInvoiceIds: [...state.paidInvoiceIds, event.data.invoiceId],
      };
      return paid.status === 'pending' ? { ...paid, firstPaymentReceived: true } : paid;
    }
    case 'ServiceActivated':
      return { ...dataOf(state), status: 'active', scheduledCancellation: null };
    case 'ServiceSuspended': {
      const { data } = event;
      const suspendedOn = state.status === 'suspended' ? state.suspension.suspendedOn : data.suspendedOn;
      return {
        ...dataOf(state),
        status: 'suspended',
        suspension: {
          reason: data.reason,
          invoiceId: data.invoiceId,
          note: data.note,
          suspendedAt: data.suspendedAt,
          suspendedOn,
        },
        scheduledCancellation: scheduledCancellationOf(state),
      };
    }
    case 'ServiceReactivated':
      return { ...dataOf(state), status: 'active', scheduledCancellation: scheduledCancellationOf(state) };
    case 'ServiceCancellationScheduled': {
      if (state.status !== 'active' && state.status !== 'suspended') return state;
      const { reason, protocolNumber, requestedAt, effectiveOn } = event.data;
      return { ...state, scheduledCancellation: { reason, protocolNumber, requestedAt, effectiveOn } };
    }
    case 'ServiceCancelled':
      return {
        ...dataOf(state),
        status: 'cancelled',
        cancelledAt: event.data.cancelledAt,
        protocolNumber: event.data.protocolNumber,
      };
    case 'ServiceTerminated':
      return {
        ...dataOf(state),
        status: 'terminated',
        terminatedAt: event.data.terminatedAt,
        cause: event.data.cause,
      };
    case 'ServicePaymentMethodChanged':
      return { ...state, paymentMethod: event.data.paymentMethod };
    default: {
      // Unknown at compile time is a bug; unknown at run time is a newer event this version ignores.
      const _unhandled: never = event;
      return state;
    }
  }
};

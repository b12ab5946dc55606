import type { Message } from '../shared/decider';
import type { BillingCycle } from '../value-objects/billing-cycle';
import type { Instant, LocalDate } from '../value-objects/calendar';
import type { Cents } from '../value-objects/money';
import type { PaymentMethod } from '../value-objects/payment-method';
import type { ParentServiceKind, ServiceKind } from '../value-objects/service-kind';

/**
 * Why a service is suspended. `non_payment` and `parent_suspended` are **automatic** suspensions (lifted by the
 * system once the cause is gone); the others are **administrative** suspensions, lifted only by staff.
 */
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

/** Every {@link SuspensionReason}. */
export const SUSPENSION_REASONS = [
  'non_payment',
  'abuse',
  'terms_of_service',
  'parent_suspended',
  'other',
] as const;

/** The suspension reasons the system lifts by itself. */
export const AUTOMATIC_SUSPENSION_REASONS: readonly SuspensionReason[] = ['non_payment', 'parent_suspended'];

/** Whether a suspension for `reason` may only be lifted by staff. */
export const isAdministrativeSuspension = (reason: SuspensionReason): boolean =>
  !AUTOMATIC_SUSPENSION_REASONS.includes(reason);

/** Who lifted a suspension: the customer's payment, the parent service's reactivation, or a staff member. */
export type ReactivatedBy = (typeof REACTIVATED_BY)[number];

/** Every {@link ReactivatedBy}. */
export const REACTIVATED_BY = ['payment', 'parent', 'staff'] as const;

/** When a cancellation takes effect: now, or at the end of the period already paid (the next due date). */
export type CancellationTiming = (typeof CANCELLATION_TIMINGS)[number];

/** Every {@link CancellationTiming}. */
export const CANCELLATION_TIMINGS = ['immediate', 'end_of_period'] as const;

/** Why a service was terminated: its retention elapsed, or its parent service was terminated. */
export type TerminationCause = (typeof TERMINATION_CAUSES)[number];

/** Every {@link TerminationCause}. */
export const TERMINATION_CAUSES = ['retention_elapsed', 'parent_terminated'] as const;

/** A customer ordered a service; it is pending until paid and provisioned. Its first due date is the order day. */
export type ServiceOrdered = Message<
  'ServiceOrdered',
  {
    serviceId: string;
    contractId: string;
    kind: ServiceKind;
    plan: string;
    billingCycle: BillingCycle;
    priceCents: Cents;
    parentServiceId: string | null;
    parentKind: ParentServiceKind | null;
    /** The service's own method; `null` means the contract's default applies. */
    paymentMethod: PaymentMethod | null;
    orderedAt: Instant;
    firstDueDate: LocalDate;
    /** Day of the month due dates return to when the month is long enough (31 after Feb 28). */
    anchorDay: number;
  }
>;

/** The service was set up on an instance (server). */
export type ServiceProvisioned = Message<
  'ServiceProvisioned',
  { serviceId: string; instanceId: string; provisionedAt: Instant }
>;

/** An invoice billing this service was paid: the next due date moved forward by exactly one cycle. */
export type ServiceInvoicePaid = Message<
  'ServiceInvoicePaid',
  {
    serviceId: string;
    invoiceId: string;
    paidAt: Instant;
    previousDueDate: LocalDate;
    nextDueDate: LocalDate;
  }
>;

/** A pending service became active: its first payment cleared and it was provisioned. */
export type ServiceActivated = Message<'ServiceActivated', { serviceId: string; activatedAt: Instant }>;

/** The service was suspended. `suspendedOn` is the Sao Paulo date its retention counts from. */
export type ServiceSuspended = Message<
  'ServiceSuspended',
  {
    serviceId: string;
    reason: SuspensionReason;
    /** The unpaid invoice, for `non_payment`. */
    invoiceId: string | null;
    note: string | null;
    suspendedAt: Instant;
    suspendedOn: LocalDate;
  }
>;

/** A suspension was lifted. */
export type ServiceReactivated = Message<
  'ServiceReactivated',
  { serviceId: string; by: ReactivatedBy; previousReason: SuspensionReason; reactivatedAt: Instant }
>;

/** A cancellation was requested to take effect at the end of the paid period (`effectiveOn`). */
export type ServiceCancellationScheduled = Message<
  'ServiceCancellationScheduled',
  { serviceId: string; reason: string; protocolNumber: string; requestedAt: Instant; effectiveOn: LocalDate }
>;

/** The service was cancelled (final). */
export type ServiceCancelled = Message<
  'ServiceCancelled',
  {
    serviceId: string;
    when: CancellationTiming;
    reason: string;
    protocolNumber: string;
    requestedAt: Instant;
    cancelledAt: Instant;
  }
>;

/** The service was removed from its server (final). */
export type ServiceTerminated = Message<
  'ServiceTerminated',
  { serviceId: string; cause: TerminationCause; terminatedAt: Instant }
>;

/** The service's own payment method changed; `null` returns it to the contract's default. */
export type ServicePaymentMethodChanged = Message<
  'ServicePaymentMethodChanged',
  { serviceId: string; paymentMethod: PaymentMethod | null; changedAt: Instant }
>;

/** Every event of the service stream. */
export type ServiceEvent =
  | ServiceOrdered
  | ServiceProvisioned
  | ServiceInvoicePaid
  | ServiceActivated
  | ServiceSuspended
  | ServiceReactivated
  | ServiceCancellationScheduled
  | ServiceCancelled
  | ServiceTerminated
  | ServicePaymentMethodChanged;

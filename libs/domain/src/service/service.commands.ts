import type { Command } from '../shared/decider';
import type { BillingCycle } from '../value-objects/billing-cycle';
import type { Instant, LocalDate } from '../value-objects/calendar';
import type { PaymentMethodInput } from '../value-objects/payment-method';
import type { ServiceKind } from '../value-objects/service-kind';
import type { CancellationTiming, ReactivatedBy, TerminationCause } from './service.events';

/*
 * Service commands may carry outside data (an HTTP body, a reactor's reading of another stream): the decider
 * parses every value it keeps and refuses a bad one with VALIDATION_FAILED naming the field, whatever the types
 * below promise.
 */

/**
 * Order a new service, ordered at `metadata.now`. Add-ons name their parent service and its kind (the add-on
 * follows its day rules); the parent of an add-on is never an add-on itself.
 */
export type OrderService = Command<
  'OrderService',
  {
    serviceId: string;
    contractId: string;
    kind: ServiceKind;
    plan: string;
    billingCycle: BillingCycle;
    /** The monthly price. */
    priceCents: number;
    parentServiceId?: string;
    /** The parent's kind as read from its stream. */
    parentKind?: ServiceKind;
    paymentMethod?: PaymentMethodInput;
  }
>;

/** Record that the service was set up on an instance. */
export type ProvisionService = Command<'ProvisionService', { instanceId: string }>;

/** Record that an invoice billing this service was paid (from the invoice's `InvoicePaid`, and its `paidAt`). */
export type RecordInvoicePaid = Command<'RecordInvoicePaid', { invoiceId: string; paidAt: Instant }>;

/**
 * Suspend the service. Non-payment names the unpaid invoice and its original due date, from which the grace
 * (10 days, 3 for cloud and dedicated servers) is counted against `metadata.now`.
 */
export type SuspendService = Command<
  'SuspendService',
  (
    | { reason: 'non_payment'; invoiceId: string; invoiceDueDate: LocalDate }
    | { reason: 'abuse' | 'terms_of_service' | 'parent_suspended' | 'other' }
  ) & { note?: string }
>;

/**
 * Lift a suspension. `payment` lifts a non-payment suspension once the customer paid and the caller checked that
 * no overdue invoice of the service remains; `parent` lifts an add-on's `parent_suspended` when its parent is
 * reactivated; `staff` lifts anything, sent by a staff member.
 */
export type ReactivateService = Command<
  'ReactivateService',
  | { by: Extract<ReactivatedBy, 'payment'>; noOverdueInvoiceRemains: boolean }
  | { by: Extract<ReactivatedBy, 'parent'> }
  | { by: Extract<ReactivatedBy, 'staff'>; note?: string }
>;

/** Cancel the service on an explicit request (made at `metadata.now`), recorded under a protocol number. */
export type CancelService = Command<
  'CancelService',
  { when: CancellationTiming; reason: string; protocolNumber: string }
>;

/** The billing clock completes a cancellation scheduled for the end of the paid period. */
export type CompleteScheduledCancellation = Command<
  'CompleteScheduledCancellation',
  Readonly<Record<string, never>>
>;

/**
 * Remove a service suspended for non-payment whose retention has elapsed, or an add-on whose parent was
 * terminated.
 */
export type TerminateService = Command<'TerminateService', { cause?: TerminationCause }>;

/** Give the service its own payment method, or `null` to use the contract's default. */
export type ChangeServicePaymentMethod = Command<
  'ChangeServicePaymentMethod',
  { paymentMethod: PaymentMethodInput | null }
>;

/** Every command the service decider accepts. */
export type ServiceCommand =
  | OrderService
  | ProvisionService
  | RecordInvoicePaid
  | SuspendService
  | ReactivateService
  | CancelService
  | CompleteScheduledCancellation
  | TerminateService
  | ChangeServicePaymentMethod;

import { InvalidValueError } from '../shared/domain-error';
import { addMonthsClamped, type LocalDate } from './calendar';

/** The billing cycles a service can have, each a whole number of months paid at once. */
export const BILLING_CYCLES = ['monthly', 'quarterly', 'semiannual', 'annual'] as const;

/**
 * How often a service is invoiced. An annual payment is twelve monthly instalments paid at once, so every cycle
 * is counted in months.
 */
export type BillingCycle = (typeof BILLING_CYCLES)[number];

const MONTHS: Readonly<Record<BillingCycle, number>> = {
  monthly: 1,
  quarterly: 3,
  semiannual: 6,
  annual: 12,
};

/** Months a cycle covers: 1, 3, 6 or 12. */
export const cycleMonths = (cycle: BillingCycle): number => MONTHS[cycle];

/** Whether `value` names a billing cycle. */
export const isBillingCycle = (value: unknown): value is BillingCycle =>
  typeof value === 'string' && (BILLING_CYCLES as readonly string[]).includes(value);

/** Parses a billing cycle or throws {@link InvalidValueError} on the `billingCycle` field. */
export const parseBillingCycle = (value: unknown): BillingCycle => {
  if (!isBillingCycle(value)) {
    throw new InvalidValueError('billingCycle', `billingCycle must be one of ${BILLING_CYCLES.join(', ')}`);
  }
  return value;
};

/**
 * The due date one cycle after `current`. `anchorDay` is the day of the month the service was first due on: a
 * service ordered on the 31st is due on Feb 28/29 and then again on Mar 31, never drifting to the 28th.
 */
export const nextDueDate = (current: LocalDate, cycle: BillingCycle, anchorDay: number): LocalDate =>
  addMonthsClamped(current, cycleMonths(cycle), anchorDay);

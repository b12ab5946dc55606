import fc from 'fast-check';
import { BILLING_CYCLES, nextDueDate } from '../value-objects/billing-cycle';
import { addDays } from '../value-objects/calendar';
import type { Cents } from '../value-objects/money';
import {
  billingPeriodsDue,
  isBillable,
  isScheduledCancellationDue,
  isSuspensionDue,
  isTerminationDue,
} from './service.billing-clock';
import { serviceDecider } from './service.decider';
import type { ServiceEvent, ServiceOrdered } from './service.events';
import type { ServiceState } from './service.state';

const ID = 'svc-1';
const stateAfter = (events: readonly ServiceEvent[]): ServiceState =>
  events.reduce(serviceDecider.evolve, serviceDecider.initialState());
const ordered = (data: Partial<ServiceOrdered['data']> = {}): ServiceOrdered => ({
  type: 'ServiceOrdered',
  data: {
    serviceId: ID,
    contractId: 'ctr-1',
    kind: 'shared_hosting',
    plan: 'Plano M',
    billingCycle: 'monthly',
    priceCents: 2990 as Cents,
    parentServiceId: null,
    parentKind: null,
    paymentMethod: null,
    orderedAt: '2024-01-31T12:00:00Z',
    firstDueDate: '2024-01-31',
    anchorDay: 31,
    ...data,
  },
});
const lifecycle = (order: ServiceOrdered = ordered()): ServiceEvent[] => [
  order,
  {
    type: 'ServiceInvoicePaid',
    data: {
      serviceId: ID,
      invoiceId: 'inv-1',
      paidAt: '2024-01-31T12:00:00Z',
      previousDueDate: '2024-01-31',
      nextDueDate: '2024-02-29',
    },
  },
  {
    type: 'ServiceProvisioned',
    data: { serviceId: ID, instanceId: 'srv-1', provisionedAt: '2024-01-31T12:00:00Z' },
  },
  { type: 'ServiceActivated', data: { serviceId: ID, activatedAt: '2024-01-31T12:00:00Z' } },
];
const suspendedOn = (date: string): ServiceEvent => ({
  type: 'ServiceSuspended',
  data: {
    serviceId: ID,
    reason: 'non_payment',
    invoiceId: 'inv-2',
    note: null,
    suspendedAt: `${date}T12:00:00Z`,
    suspendedOn: date,
  },
});
const scheduled: ServiceEvent = {
  type: 'ServiceCancellationScheduled',
  data: {
    serviceId: ID,
    reason: 'r',
    protocolNumber: 'P',
    requestedAt: '2024-02-01T12:00:00Z',
    effectiveOn: '2024-02-29',
  },
};

describe('billing clock rules for a service', () => {
  const active = stateAfter(lifecycle());

  describe('billingPeriodsDue', () => {
    const march = { periodStart: '2024-02-29', periodEnd: '2024-03-30', amountCents: 2990 };
    const april = { periodStart: '2024-03-31', periodEnd: '2024-04-29', amountCents: 2990 };
    const withReason = (
      reason: 'abuse' | 'terms_of_service' | 'other' | 'parent_suspended',
    ): ServiceEvent => {
      const suspension = suspendedOn('2024-03-10');
      return { ...suspension, data: { ...suspension.data, reason, invoiceId: null } } as ServiceEvent;
    };

    it('issues a period from 10 days before it starts (default) to the day it starts, not 11', () => {
      expect(billingPeriodsDue(active, '2024-02-18')).toEqual([]);
      expect(billingPeriodsDue(active, '2024-02-19')).toEqual([march]);
      expect(billingPeriodsDue(active, '2024-02-29')).toEqual([march]);
    });

    it('takes a configured number of days', () => {
      expect(billingPeriodsDue(active, '2024-02-23', 5)).toEqual([]);
      expect(billingPeriodsDue(active, '2024-02-24', 5)).toEqual([march]);
    });

    it('issues the next period on schedule while the earlier invoice is still unpaid', () => {
      expect(billingPeriodsDue(active, '2024-03-05')).toEqual([]);
      expect(billingPeriodsDue(active, '2024-03-21')).toEqual([april]);
    });

    it('bills a service suspended for non-payment during its retention', () => {
      const suspended = stateAfter([...lifecycle(), suspendedOn('2024-03-10')]);
      expect(isBillable(suspended)).toBe(true);
      expect(billingPeriodsDue(suspended, '2024-03-21')).toEqual([april]);
      expect(billingPeriodsDue(suspended, '2024-04-20')).toEqual([
        { periodStart: '2024-04-30', periodEnd: '2024-05-30', amountCents: 2990 },
      ]);
    });

    it.each(['abuse', 'terms_of_service', 'other', 'parent_suspended'] as const)(
      'does not bill a service suspended for %s',
      (reason) => {
        const suspended = stateAfter([...lifecycle(), withReason(reason)]);
        expect(isBillable(suspended)).toBe(false);
        expect(billingPeriodsDue(suspended, '2024-03-21')).toEqual([]);
      },
    );

    it('bills the months of the cycle at the monthly price', () => {
      const quarterly = stateAfter([
        ordered({ billingCycle: 'quarterly' }),
        ...lifecycle()
          .slice(1)
          .map((event) =>
            event.type === 'ServiceInvoicePaid'
              ? { ...event, data: { ...event.data, nextDueDate: '2024-04-30' } }
              : event,
          ),
      ]);
      expect(billingPeriodsDue(quarterly, '2024-04-25')).toEqual([
        { periodStart: '2024-04-30', periodEnd: '2024-07-30', amountCents: 8970 },
      ]);
    });

    it('lists every period that starts within reach, each once', () => {
      expect(billingPeriodsDue(active, '2024-02-29', 40)).toEqual([march, april]);
    });

    it('bills neither a pending, cancelled or unordered service nor one with a cancellation scheduled', () => {
      expect(billingPeriodsDue(stateAfter([ordered()]), '2024-01-31')).toEqual([]);
      expect(billingPeriodsDue(serviceDecider.initialState(), '2024-01-31')).toEqual([]);
      const cancelled: ServiceEvent = {
        type: 'ServiceCancelled',
        data: {
          serviceId: ID,
          when: 'immediate',
          reason: 'r',
          protocolNumber: 'P',
          requestedAt: '2024-02-01T12:00:00Z',
          cancelledAt: '2024-02-01T12:00:00Z',
        },
      };
      expect(billingPeriodsDue(stateAfter([...lifecycle(), cancelled]), '2024-02-25')).toEqual([]);
      expect(billingPeriodsDue(stateAfter([...lifecycle(), scheduled]), '2024-02-25')).toEqual([]);
    });

    it('run every day, meets every period once it is within reach, in order, and never lists one twice', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...BILLING_CYCLES),
          fc.integer({ min: 1, max: 31 }),
          fc.integer({ min: 0, max: 28 }),
          fc.integer({ min: 30, max: 400 }),
          (billingCycle, day, daysBefore, days) => {
            const firstDueDate = `2024-01-${String(day).padStart(2, '0')}`;
            const second = nextDueDate(firstDueDate, billingCycle, day);
            const service = stateAfter(
              lifecycle(ordered({ billingCycle, firstDueDate, anchorDay: day })).map((event) =>
                event.type === 'ServiceInvoicePaid'
                  ? { ...event, data: { ...event.data, previousDueDate: firstDueDate, nextDueDate: second } }
                  : event,
              ),
            );
            const seen: string[] = [];
            for (let n = 0; n < days; n += 1) {
              const starts = billingPeriodsDue(service, addDays(firstDueDate, n), daysBefore).map(
                (period) => period.periodStart,
              );
              expect(new Set(starts).size).toBe(starts.length);
              for (const start of starts) if (!seen.includes(start)) seen.push(start);
            }
            const expected: string[] = [];
            const reach = addDays(firstDueDate, days - 1 + daysBefore);
            for (let start = second; start <= reach; start = nextDueDate(start, billingCycle, day)) {
              expected.push(start);
            }
            expect(seen).toEqual(expected);
          },
        ),
      );
    });
  });

  describe('isSuspensionDue', () => {
    it('suspends a shared service on the 10th Sao Paulo day after the original due date', () => {
      expect(isSuspensionDue(active, '2024-02-29', '2024-03-10T02:59:59Z')).toBe(false);
      expect(isSuspensionDue(active, '2024-02-29', '2024-03-10T03:00:00Z')).toBe(true);
      expect(isSuspensionDue(active, '2024-02-29', '2024-04-01T12:00:00Z')).toBe(true);
    });
    it('suspends a cloud server on the 3rd day', () => {
      const cloud = stateAfter(lifecycle(ordered({ kind: 'cloud_server' })));
      expect(isSuspensionDue(cloud, '2024-02-29', '2024-03-02T12:00:00Z')).toBe(false);
      expect(isSuspensionDue(cloud, '2024-02-29', '2024-03-03T12:00:00Z')).toBe(true);
    });
    it("uses the parent's kind for an add-on", () => {
      const addon = stateAfter(
        lifecycle(ordered({ kind: 'addon', parentServiceId: 'p', parentKind: 'dedicated_server' })),
      );
      expect(isSuspensionDue(addon, '2024-02-29', '2024-03-03T12:00:00Z')).toBe(true);
    });
    it('never for a service that is not active', () => {
      const suspended = stateAfter([...lifecycle(), suspendedOn('2024-03-10')]);
      expect(isSuspensionDue(suspended, '2024-02-29', '2024-04-01T12:00:00Z')).toBe(false);
      expect(isSuspensionDue(stateAfter([ordered()]), '2024-01-01', '2024-04-01T12:00:00Z')).toBe(false);
    });
  });

  describe('isTerminationDue', () => {
    it('terminates once retention has elapsed (3 months for shared kinds, Sao Paulo day)', () => {
      const suspended = stateAfter([...lifecycle(), suspendedOn('2024-03-10')]);
      expect(isTerminationDue(suspended, '2024-06-10T02:59:59Z')).toBe(false);
      expect(isTerminationDue(suspended, '2024-06-10T03:00:00Z')).toBe(true);
    });
    it('7 days for a dedicated server', () => {
      const suspended = stateAfter([
        ...lifecycle(ordered({ kind: 'dedicated_server' })),
        suspendedOn('2024-03-10'),
      ]);
      expect(isTerminationDue(suspended, '2024-03-16T12:00:00Z')).toBe(false);
      expect(isTerminationDue(suspended, '2024-03-17T12:00:00Z')).toBe(true);
    });
    it('never for a service that is not suspended', () => {
      expect(isTerminationDue(active, '2030-01-01T12:00:00Z')).toBe(false);
    });
    it('never for an administrative suspension, or an add-on held by its parent', () => {
      for (const reason of ['abuse', 'terms_of_service', 'other', 'parent_suspended'] as const) {
        const suspension = suspendedOn('2024-03-10');
        const state = stateAfter([
          ...lifecycle(ordered({ kind: 'dedicated_server' })),
          { ...suspension, data: { ...suspension.data, reason, invoiceId: null } } as ServiceEvent,
        ]);
        expect(isTerminationDue(state, '2030-01-01T12:00:00Z')).toBe(false);
      }
    });
  });

  describe('isScheduledCancellationDue', () => {
    it('is due on the effective date (Sao Paulo), for active and suspended services', () => {
      const withSchedule = stateAfter([...lifecycle(), scheduled]);
      expect(isScheduledCancellationDue(withSchedule, '2024-02-29T02:59:59Z')).toBe(false);
      expect(isScheduledCancellationDue(withSchedule, '2024-02-29T03:00:00Z')).toBe(true);
      const suspended = stateAfter([...lifecycle(), scheduled, suspendedOn('2024-02-10')]);
      expect(isScheduledCancellationDue(suspended, '2024-03-01T12:00:00Z')).toBe(true);
    });
    it('is never due without a schedule, or for a pending service', () => {
      expect(isScheduledCancellationDue(active, '2030-01-01T12:00:00Z')).toBe(false);
      expect(isScheduledCancellationDue(stateAfter([ordered()]), '2030-01-01T12:00:00Z')).toBe(false);
    });
  });
});

import type { Cents } from '../value-objects/money';
import {
  isInvoiceDue,
  isScheduledCancellationDue,
  isSuspensionDue,
  isTerminationDue,
  nextBillingPeriod,
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

  describe('isInvoiceDue', () => {
    it('is due from 10 days before the next due date (default), not 11', () => {
      expect(isInvoiceDue(active, '2024-02-18')).toBe(false);
      expect(isInvoiceDue(active, '2024-02-19')).toBe(true);
      expect(isInvoiceDue(active, '2024-02-29')).toBe(true);
      expect(isInvoiceDue(active, '2024-03-05')).toBe(true);
    });
    it('takes a configured number of days', () => {
      expect(isInvoiceDue(active, '2024-02-23', 5)).toBe(false);
      expect(isInvoiceDue(active, '2024-02-24', 5)).toBe(true);
    });
    it('bills a suspended service, but not a pending, cancelled or unordered one', () => {
      expect(isInvoiceDue(stateAfter([...lifecycle(), suspendedOn('2024-02-10')]), '2024-02-25')).toBe(true);
      expect(isInvoiceDue(stateAfter([ordered()]), '2024-01-31')).toBe(false);
      expect(isInvoiceDue(serviceDecider.initialState(), '2024-01-31')).toBe(false);
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
      expect(isInvoiceDue(stateAfter([...lifecycle(), cancelled]), '2024-02-25')).toBe(false);
    });
    it('stops once a cancellation is scheduled', () => {
      expect(isInvoiceDue(stateAfter([...lifecycle(), scheduled]), '2024-02-25')).toBe(false);
    });
  });

  it('nextBillingPeriod runs from the next due date to the day before the following one', () => {
    expect(nextBillingPeriod(active as Exclude<ServiceState, { status: 'none' }>)).toEqual({
      periodStart: '2024-02-29',
      periodEnd: '2024-03-30',
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

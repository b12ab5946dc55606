import type { Cents } from '../value-objects/money';
import { ADDONS_FOLLOW_PARENT, commandsForAddonsOnParentEvent } from './service.addons';
import { serviceDecider } from './service.decider';
import type { ServiceEvent, ServiceOrdered, SuspensionReason } from './service.events';
import type { ServiceState } from './service.state';

const PARENT = 'parent-1';
const ordered = (serviceId: string, data: Partial<ServiceOrdered['data']> = {}): ServiceOrdered => ({
  type: 'ServiceOrdered',
  data: {
    serviceId,
    contractId: 'ctr-1',
    kind: 'addon',
    plan: 'Backup',
    billingCycle: 'monthly',
    priceCents: 990 as Cents,
    parentServiceId: PARENT,
    parentKind: 'shared_hosting',
    paymentMethod: null,
    orderedAt: '2024-01-15T12:00:00Z',
    firstDueDate: '2024-01-15',
    anchorDay: 15,
    ...data,
  },
});
const activate = (serviceId: string): ServiceEvent[] => [
  {
    type: 'ServiceInvoicePaid',
    data: {
      serviceId,
      invoiceId: 'i',
      paidAt: '2024-01-15T12:00:00Z',
      previousDueDate: '2024-01-15',
      nextDueDate: '2024-02-15',
    },
  },
  { type: 'ServiceProvisioned', data: { serviceId, instanceId: 's', provisionedAt: '2024-01-15T12:00:00Z' } },
  { type: 'ServiceActivated', data: { serviceId, activatedAt: '2024-01-15T12:00:00Z' } },
];
const suspension = (serviceId: string, reason: SuspensionReason): ServiceEvent => ({
  type: 'ServiceSuspended',
  data: {
    serviceId,
    reason,
    invoiceId: null,
    note: null,
    suspendedAt: '2024-02-25T12:00:00Z',
    suspendedOn: '2024-02-25',
  },
});
const cancelled = (serviceId: string): ServiceEvent => ({
  type: 'ServiceCancelled',
  data: {
    serviceId,
    when: 'immediate',
    reason: 'r',
    protocolNumber: 'P-9',
    requestedAt: '2024-03-01T12:00:00Z',
    cancelledAt: '2024-03-01T12:00:00Z',
  },
});
const stateOf = (events: readonly ServiceEvent[]): ServiceState =>
  events.reduce(serviceDecider.evolve, serviceDecider.initialState());

const pendingAddon = stateOf([ordered('a-pending')]);
const activeAddon = stateOf([ordered('a-active'), ...activate('a-active')]);
const parentSuspendedAddon = stateOf([
  ordered('a-parent'),
  ...activate('a-parent'),
  suspension('a-parent', 'parent_suspended'),
]);
const abuseAddon = stateOf([ordered('a-abuse'), ...activate('a-abuse'), suspension('a-abuse', 'abuse')]);
const cancelledAddon = stateOf([ordered('a-gone'), ...activate('a-gone'), cancelled('a-gone')]);
const otherParentsAddon = stateOf([
  ordered('b-active', { parentServiceId: 'parent-2' }),
  ...activate('b-active'),
]);
const notAnAddon = stateOf([
  ordered('x', { kind: 'domain', parentServiceId: PARENT, parentKind: null }),
  ...activate('x'),
]);
const all = [
  pendingAddon,
  activeAddon,
  parentSuspendedAddon,
  abuseAddon,
  cancelledAddon,
  otherParentsAddon,
  notAnAddon,
  serviceDecider.initialState(),
];

describe('add-ons follow their parent', () => {
  it("suspends the parent's active add-ons for parent_suspended", () => {
    expect(commandsForAddonsOnParentEvent(suspension(PARENT, 'non_payment'), all)).toEqual([
      {
        serviceId: 'a-active',
        command: {
          type: 'SuspendService',
          data: { reason: 'parent_suspended', note: 'parent parent-1 suspended: non_payment' },
          metadata: { now: '2024-02-25T12:00:00Z', actor: { kind: 'system', rule: 'addons-follow-parent' } },
        },
      },
    ]);
  });

  it('reactivates only the add-ons its suspension suspended', () => {
    const reactivated: ServiceEvent = {
      type: 'ServiceReactivated',
      data: {
        serviceId: PARENT,
        by: 'payment',
        previousReason: 'non_payment',
        reactivatedAt: '2024-03-01T12:00:00Z',
      },
    };
    expect(commandsForAddonsOnParentEvent(reactivated, all)).toEqual([
      {
        serviceId: 'a-parent',
        command: {
          type: 'ReactivateService',
          data: { by: 'parent' },
          metadata: { now: '2024-03-01T12:00:00Z', actor: ADDONS_FOLLOW_PARENT },
        },
      },
    ]);
  });

  it('cancels every live add-on immediately under the parent protocol', () => {
    const command = {
      type: 'CancelService',
      data: { when: 'immediate', reason: 'parent parent-1 cancelled', protocolNumber: 'P-9' },
      metadata: { now: '2024-03-01T12:00:00Z', actor: ADDONS_FOLLOW_PARENT },
    };
    expect(commandsForAddonsOnParentEvent(cancelled(PARENT), all)).toEqual(
      ['a-pending', 'a-active', 'a-parent', 'a-abuse'].map((serviceId) => ({ serviceId, command })),
    );
  });

  it('terminates every live add-on with the parent', () => {
    const terminated: ServiceEvent = {
      type: 'ServiceTerminated',
      data: { serviceId: PARENT, cause: 'retention_elapsed', terminatedAt: '2024-06-01T12:00:00Z' },
    };
    const command = {
      type: 'TerminateService',
      data: { cause: 'parent_terminated' },
      metadata: { now: '2024-06-01T12:00:00Z', actor: ADDONS_FOLLOW_PARENT },
    };
    expect(commandsForAddonsOnParentEvent(terminated, all)).toEqual(
      ['a-pending', 'a-active', 'a-parent', 'a-abuse'].map((serviceId) => ({ serviceId, command })),
    );
  });

  it('implies nothing for other parent events', () => {
    expect(commandsForAddonsOnParentEvent(ordered(PARENT, { kind: 'shared_hosting' }), all)).toEqual([]);
  });

  it('implies commands the add-ons accept', () => {
    for (const command of commandsForAddonsOnParentEvent(cancelled(PARENT), all)) {
      const addon = all.find((s) => s.status !== 'none' && s.serviceId === command.serviceId)!;
      expect(serviceDecider.decide(command.command, addon)).toHaveLength(1);
    }
  });
});

import fc from 'fast-check';
import { deciderSpecification } from '@app/testing';
import type { Actor } from '../shared/actor';
import { nextDueDate } from '../value-objects/billing-cycle';
import type { Cents } from '../value-objects/money';
import type { ServiceCommand } from './service.commands';
import { serviceDecider } from './service.decider';
import type { ServiceEvent, ServiceOrdered } from './service.events';
import { serviceStream } from './service-stream';
import type { ServiceState } from './service.state';

const given = deciderSpecification(serviceDecider);
const ID = 'svc-1';
const ORDERED_AT = '2024-01-15T12:00:00Z';
const stateAfter = (events: readonly ServiceEvent[]): ServiceState =>
  events.reduce(serviceDecider.evolve, serviceDecider.initialState());

const orderData = {
  serviceId: ID,
  contractId: 'ctr-1',
  kind: 'shared_hosting',
  plan: 'Plano M',
  billingCycle: 'monthly',
  priceCents: 2990 as Cents,
} as const;
const CUSTOMER: Actor = { kind: 'user', userId: 'u-1', email: 'cliente@exemplo.com.br', roles: ['customer'] };
const STAFF: Actor = { kind: 'user', userId: 'u-staff', email: 'fin@provedor.com.br', roles: ['billing'] };
const CLOCK: Actor = { kind: 'system', rule: 'billing-clock' };
/** A service command sent at `now` by `actor` (the billing clock unless told). */
const command = <C extends ServiceCommand>(
  type: C['type'],
  data: C['data'],
  now: string,
  actor: Actor = CLOCK,
): ServiceCommand => ({ type, data, metadata: { now, actor } }) as C;

const ordered = (data: Partial<ServiceOrdered['data']> = {}): ServiceOrdered => ({
  type: 'ServiceOrdered',
  data: {
    ...orderData,
    orderedAt: ORDERED_AT,
    parentServiceId: null,
    parentKind: null,
    paymentMethod: null,
    firstDueDate: '2024-01-15',
    anchorDay: 15,
    ...data,
  },
});
const provisioned: ServiceEvent = {
  type: 'ServiceProvisioned',
  data: { serviceId: ID, instanceId: 'srv-1', provisionedAt: '2024-01-15T13:00:00Z' },
};
type Of<T extends ServiceEvent['type']> = Extract<ServiceEvent, { type: T }>;
const invoicePaid = (invoiceId: string, previousDueDate: string, next: string): Of<'ServiceInvoicePaid'> => ({
  type: 'ServiceInvoicePaid',
  data: { serviceId: ID, invoiceId, paidAt: '2024-01-15T12:30:00Z', previousDueDate, nextDueDate: next },
});
const firstPaid = invoicePaid('inv-1', '2024-01-15', '2024-02-15');
const activated: ServiceEvent = {
  type: 'ServiceActivated',
  data: { serviceId: ID, activatedAt: '2024-01-15T13:00:00Z' },
};
const suspended = (
  reason: Extract<ServiceEvent, { type: 'ServiceSuspended' }>['data']['reason'],
  suspendedOn = '2024-02-25',
): Of<'ServiceSuspended'> => ({
  type: 'ServiceSuspended',
  data: {
    serviceId: ID,
    reason,
    invoiceId: reason === 'non_payment' ? 'inv-2' : null,
    note: null,
    suspendedAt: `${suspendedOn}T12:00:00Z`,
    suspendedOn,
  },
});
const scheduled: ServiceEvent = {
  type: 'ServiceCancellationScheduled',
  data: {
    serviceId: ID,
    reason: 'moving',
    protocolNumber: 'P-1',
    requestedAt: '2024-02-01T12:00:00Z',
    effectiveOn: '2024-02-15',
  },
};
const cancelledEvent: ServiceEvent = {
  type: 'ServiceCancelled',
  data: {
    serviceId: ID,
    when: 'immediate',
    reason: 'moving',
    protocolNumber: 'P-1',
    requestedAt: '2024-02-01T12:00:00Z',
    cancelledAt: '2024-02-01T12:00:00Z',
  },
};
const terminatedEvent: ServiceEvent = {
  type: 'ServiceTerminated',
  data: { serviceId: ID, cause: 'retention_elapsed', terminatedAt: '2024-06-01T12:00:00Z' },
};

const PENDING = [ordered()];
const ACTIVE = [ordered(), firstPaid, provisioned, activated];
const SUSPENDED = [...ACTIVE, suspended('non_payment')];
const CANCELLED = [...ACTIVE, cancelledEvent];
const TERMINATED = [...SUSPENDED, terminatedEvent];

type Data<T extends ServiceCommand['type']> = Extract<ServiceCommand, { type: T }>['data'];
const orderService = (data: Partial<Data<'OrderService'>> = {}, orderedAt = ORDERED_AT) =>
  command('OrderService', { ...orderData, ...data }, orderedAt, CUSTOMER);
const pay = (invoiceId: string, paidAt = '2024-01-15T12:30:00Z'): ServiceCommand =>
  command('RecordInvoicePaid', { invoiceId, paidAt }, paidAt);
const provision = (instanceId = 'srv-1', at = '2024-01-15T13:00:00Z'): ServiceCommand =>
  command('ProvisionService', { instanceId }, at, STAFF);
const suspend = (
  reason: 'abuse' | 'terms_of_service' | 'parent_suspended' | 'other' | 'non_payment',
  at = '2024-02-25T12:00:00Z',
): ServiceCommand =>
  reason === 'non_payment'
    ? command('SuspendService', { reason, invoiceId: 'inv-2', invoiceDueDate: '2024-02-15' }, at)
    : command('SuspendService', { reason }, at, reason === 'parent_suspended' ? CLOCK : STAFF);
const cancel = (when: 'immediate' | 'end_of_period', requestedAt = '2024-02-01T12:00:00Z'): ServiceCommand =>
  command('CancelService', { when, reason: 'moving', protocolNumber: 'P-1' }, requestedAt, CUSTOMER);
const REACTIVATED_AT = '2024-03-01T12:00:00Z';
const reactivate = (data: Data<'ReactivateService'>, actor: Actor = CLOCK): ServiceCommand =>
  command('ReactivateService', data, REACTIVATED_AT, actor);
const reactivateByPayment = (noOverdueInvoiceRemains = true): ServiceCommand =>
  reactivate({ by: 'payment', noOverdueInvoiceRemains });
const reactivated = (
  by: 'payment' | 'parent' | 'staff',
  previousReason: Extract<ServiceEvent, { type: 'ServiceSuspended' }>['data']['reason'],
): ServiceEvent => ({
  type: 'ServiceReactivated',
  data: { serviceId: ID, by, previousReason, reactivatedAt: '2024-03-01T12:00:00Z' },
});
const terminate = (at: string, cause?: 'retention_elapsed' | 'parent_terminated'): ServiceCommand =>
  command('TerminateService', cause ? { cause } : {}, at);
const complete = (at: string): ServiceCommand => command('CompleteScheduledCancellation', {}, at);
const boleto = { method: 'boleto' } as const;
const changeMethod: ServiceCommand = command(
  'ChangeServicePaymentMethod',
  { paymentMethod: boleto },
  '2024-02-01T12:00:00Z',
  CUSTOMER,
);

// A failing property reports its first counterexample without shrinking, so mutation runs stay fast.
fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });

describe('service decider', () => {
  it('names its stream service-<id>', () => {
    expect(serviceStream('42')).toBe('service-42');
  });

  describe('OrderService', () => {
    it('orders a pending service first due on the local date of the order', () => {
      given([]).when(orderService()).then([ordered()]);
    });

    it('takes the Sao Paulo date: 01:00 UTC is still the previous day, and the anchor day follows it', () => {
      given([])
        .when(orderService({}, '2024-02-01T01:00:00Z'))
        .then([ordered({ orderedAt: '2024-02-01T01:00:00Z', firstDueDate: '2024-01-31', anchorDay: 31 })]);
    });

    it('records an add-on with its parent and a service payment method override', () => {
      given([])
        .when(
          orderService({
            kind: 'addon',
            parentServiceId: 'svc-0',
            parentKind: 'cloud_server',
            paymentMethod: boleto,
          }),
        )
        .then([
          ordered({
            kind: 'addon',
            parentServiceId: 'svc-0',
            parentKind: 'cloud_server',
            paymentMethod: boleto,
          }),
        ]);
    });

    it('refuses an add-on without its parent, or without the parent kind', () => {
      given([])
        .when(orderService({ kind: 'addon' }))
        .thenFails('VALIDATION_FAILED', { field: 'parentServiceId' });
      given([])
        .when(orderService({ kind: 'addon', parentServiceId: 'svc-0' }))
        .thenFails('VALIDATION_FAILED', { field: 'parentServiceId' });
      given([])
        .when(orderService({ kind: 'addon', parentKind: 'domain' }))
        .thenFails('VALIDATION_FAILED', { field: 'parentServiceId' });
    });

    it('refuses an add-on whose parent is itself an add-on', () => {
      given([])
        .when(orderService({ kind: 'addon', parentServiceId: 'svc-0', parentKind: 'addon' }))
        .thenFails('VALIDATION_FAILED', { field: 'parentServiceId' });
    });

    it('refuses an unknown kind, billing cycle or parent kind', () => {
      given([])
        .when(orderService({ kind: 'vps' as never }))
        .thenFails('VALIDATION_FAILED', { field: 'kind' });
      given([])
        .when(orderService({ billingCycle: 'weekly' as never }))
        .thenFails('VALIDATION_FAILED', { field: 'billingCycle' });
      given([])
        .when(orderService({ kind: 'addon', parentServiceId: 'svc-0', parentKind: 'vps' as never }))
        .thenFails('VALIDATION_FAILED', { field: 'parentKind' });
    });

    it('refuses a blank plan or a blank id, and trims the plan', () => {
      given([])
        .when(orderService({ plan: '  ' }))
        .thenFails('VALIDATION_FAILED', { field: 'plan' });
      given([])
        .when(orderService({ serviceId: '' }))
        .thenFails('VALIDATION_FAILED', { field: 'serviceId' });
      given([])
        .when(orderService({ contractId: 'ctr 1' }))
        .thenFails('VALIDATION_FAILED', { field: 'contractId' });
      given([])
        .when(orderService({ plan: ' Plano M ' }))
        .then([ordered()]);
    });

    it('parses its own payment method: no security code, no expired card', () => {
      const card = {
        method: 'credit_card',
        cardToken: 'tok_1',
        brand: 'visa',
        last4: '4242',
        expMonth: 12,
        expYear: 2030,
      } as const;
      given([])
        .when(orderService({ paymentMethod: card }))
        .then([ordered({ paymentMethod: card })]);
      given([])
        .when(orderService({ paymentMethod: { ...card, cvv: '123' } }))
        .thenFails('VALIDATION_FAILED', { field: 'cvv' });
      given([])
        .when(orderService({ paymentMethod: { ...card, expYear: 2023 } }))
        .thenFails('VALIDATION_FAILED', { field: 'expYear' });
    });

    it('refuses a parent on a service that is not an add-on', () => {
      given([])
        .when(orderService({ parentServiceId: 'svc-0' }))
        .thenFails('VALIDATION_FAILED');
      given([])
        .when(orderService({ parentKind: 'domain' }))
        .thenFails('VALIDATION_FAILED');
    });

    it('refuses a price that is not a positive whole number of cents', () => {
      for (const priceCents of [0, -100, 10.5]) {
        given([])
          .when(orderService({ priceCents: priceCents }))
          .thenFails('VALIDATION_FAILED', { field: 'priceCents' });
      }
      given([])
        .when(orderService({ priceCents: 1 }))
        .then([ordered({ priceCents: 1 as Cents })]);
    });

    it('refuses a second order on the same stream', () => {
      given(ACTIVE).when(orderService()).thenFails('ALREADY_EXISTS', { from: 'active' });
    });

    it('answers NOT_FOUND to any other command before the order', () => {
      given([]).when(pay('inv-1')).thenFails('NOT_FOUND', { from: 'none', command: 'RecordInvoicePaid' });
    });
  });

  describe('Pending → Active: first payment and provisioning, in either order', () => {
    it('payment alone advances the due date but keeps it pending', () => {
      given(PENDING).when(pay('inv-1')).then([firstPaid]);
      expect(stateAfter([...PENDING, firstPaid]).status).toBe('pending');
    });

    it('provisioning alone keeps it pending', () => {
      given(PENDING).when(provision()).then([provisioned]);
      expect(stateAfter([...PENDING, provisioned])).toMatchObject({ status: 'pending', instanceId: 'srv-1' });
    });

    it('provisioning after the payment activates it', () => {
      given([...PENDING, firstPaid])
        .when(provision())
        .then([provisioned, activated]);
    });

    it('payment after provisioning activates it at the payment time', () => {
      given([...PENDING, provisioned])
        .when(pay('inv-1', '2024-01-16T09:00:00Z'))
        .then([
          { ...firstPaid, data: { ...firstPaid.data, paidAt: '2024-01-16T09:00:00Z' } },
          { type: 'ServiceActivated', data: { serviceId: ID, activatedAt: '2024-01-16T09:00:00Z' } },
        ]);
    });

    it('is active once both happened', () => {
      expect(stateAfter(ACTIVE)).toMatchObject({
        status: 'active',
        instanceId: 'srv-1',
        scheduledCancellation: null,
      });
    });

    it('provisioning again on the same instance changes nothing; on another is refused', () => {
      given([...PENDING, provisioned])
        .when(provision())
        .thenNothingHappens();
      given([...PENDING, provisioned])
        .when(provision('srv-2'))
        .thenFails('INVALID_TRANSITION', {
          from: 'pending',
          command: 'ProvisionService',
          instanceId: 'srv-1',
        });
    });
  });

  describe('RecordInvoicePaid: each paid invoice advances the due date by exactly one cycle', () => {
    it('advances a monthly service by a month', () => {
      given(ACTIVE)
        .when(pay('inv-2'))
        .then([invoicePaid('inv-2', '2024-02-15', '2024-03-15')]);
    });

    it('refuses a payment time that is not an instant, or a blank invoice id', () => {
      given(ACTIVE)
        .when(command('RecordInvoicePaid', { invoiceId: 'inv-2', paidAt: 'ontem' }, '2024-02-10T12:00:00Z'))
        .thenFails('VALIDATION_FAILED', { field: 'paidAt' });
      given(ACTIVE).when(pay('')).thenFails('VALIDATION_FAILED', { field: 'invoiceId' });
    });

    it('paying the same invoice twice advances once', () => {
      given([...ACTIVE, invoicePaid('inv-2', '2024-02-15', '2024-03-15')])
        .when(pay('inv-2'))
        .thenNothingHappens();
      given(ACTIVE).when(pay('inv-1')).thenNothingHappens();
    });

    it('returns a service billed on the 31st to the 31st after a short month (leap year)', () => {
      const events = [ordered({ firstDueDate: '2024-01-31', anchorDay: 31 })];
      given(events)
        .when(pay('a'))
        .then([invoicePaid('a', '2024-01-31', '2024-02-29')]);
      given([...events, invoicePaid('a', '2024-01-31', '2024-02-29')])
        .when(pay('b'))
        .then([invoicePaid('b', '2024-02-29', '2024-03-31')]);
    });

    it('advances annual and quarterly services by 12 and 3 months', () => {
      given([ordered({ billingCycle: 'annual', firstDueDate: '2024-02-29', anchorDay: 29 })])
        .when(pay('a'))
        .then([invoicePaid('a', '2024-02-29', '2025-02-28')]);
      given([ordered({ billingCycle: 'quarterly', firstDueDate: '2023-11-30', anchorDay: 30 })])
        .when(pay('a'))
        .then([invoicePaid('a', '2023-11-30', '2024-02-29')]);
    });

    it('advances a suspended service too (it is still billed)', () => {
      given(SUSPENDED)
        .when(pay('inv-2'))
        .then([invoicePaid('inv-2', '2024-02-15', '2024-03-15')]);
    });

    it('is refused on a cancelled or terminated service, unless that invoice was already applied', () => {
      given(CANCELLED).when(pay('inv-9')).thenFails('INVALID_TRANSITION', { from: 'cancelled' });
      given(TERMINATED).when(pay('inv-9')).thenFails('INVALID_TRANSITION', { from: 'terminated' });
      given(CANCELLED).when(pay('inv-1')).thenNothingHappens();
    });

    it('advances exactly once per distinct invoice id, whatever the sequence', () => {
      fc.assert(
        fc.property(
          fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 20 }),
          fc.constantFrom('monthly', 'quarterly', 'semiannual', 'annual' as const),
          fc.integer({ min: 1, max: 31 }),
          (invoiceIds, billingCycle, day) => {
            const first = `2024-01-${String(day).padStart(2, '0')}`;
            let events: readonly ServiceEvent[] = [
              ordered({ billingCycle, firstDueDate: first, anchorDay: day }),
            ];
            for (const invoiceId of invoiceIds) {
              events = [...events, ...serviceDecider.decide(pay(invoiceId), stateAfter(events))];
            }
            let expected = first;
            for (let i = 0; i < new Set(invoiceIds).size; i += 1)
              expected = nextDueDate(expected, billingCycle, day);
            expect(stateAfter(events)).toMatchObject({ nextDueDate: expected });
          },
        ),
      );
    });
  });

  describe('SuspendService', () => {
    it('suspends an active service for non-payment, naming the invoice, on the Sao Paulo date', () => {
      given(ACTIVE)
        .when(
          command(
            'SuspendService',
            { reason: 'non_payment', invoiceId: 'inv-2', invoiceDueDate: '2024-02-15' },
            '2024-02-26T01:00:00Z',
          ),
        )
        .then([
          {
            type: 'ServiceSuspended',
            data: {
              serviceId: ID,
              reason: 'non_payment',
              invoiceId: 'inv-2',
              note: null,
              suspendedAt: '2024-02-26T01:00:00Z',
              suspendedOn: '2024-02-25',
            },
          },
        ]);
    });

    describe('for non-payment, only from the day the grace ends (Sao Paulo days after the original due date)', () => {
      const unpaid = (invoiceDueDate: string, at: string): ServiceCommand =>
        command('SuspendService', { reason: 'non_payment', invoiceId: 'inv-2', invoiceDueDate }, at);
      const serverEvents = (kind: 'cloud_server' | 'dedicated_server') => [
        ordered({ kind }),
        firstPaid,
        provisioned,
        activated,
      ];

      it('refuses it the day after the due date', () => {
        given(ACTIVE).when(unpaid('2024-02-15', '2024-02-16T12:00:00Z')).thenFails('INVALID_TRANSITION', {
          from: 'active',
          command: 'SuspendService',
          suspensionDate: '2024-02-25',
        });
      });

      it('suspends a shared service on the 10th day, not a minute of São Paulo time before', () => {
        given(ACTIVE)
          .when(unpaid('2024-02-15', '2024-02-25T02:59:59Z'))
          .thenFails('INVALID_TRANSITION', { suspensionDate: '2024-02-25' });
        given(ACTIVE)
          .when(unpaid('2024-02-15', '2024-02-25T03:00:00Z'))
          .then([
            {
              ...suspended('non_payment'),
              data: { ...suspended('non_payment').data, suspendedAt: '2024-02-25T03:00:00Z' },
            },
          ]);
      });

      it.each(['cloud_server', 'dedicated_server'] as const)('suspends a %s on the 3rd day', (kind) => {
        given(serverEvents(kind))
          .when(unpaid('2024-02-15', '2024-02-18T02:59:59Z'))
          .thenFails('INVALID_TRANSITION', { suspensionDate: '2024-02-18' });
        expect(
          serviceDecider.decide(unpaid('2024-02-15', '2024-02-18T03:00:00Z'), stateAfter(serverEvents(kind))),
        ).toHaveLength(1);
      });

      it("counts an add-on's grace by its parent's kind", () => {
        const addonOf = (parentKind: 'dedicated_server' | 'domain') => [
          ordered({ kind: 'addon', parentServiceId: 'svc-0', parentKind }),
          firstPaid,
          provisioned,
          activated,
        ];
        expect(
          serviceDecider.decide(
            unpaid('2024-02-15', '2024-02-18T12:00:00Z'),
            stateAfter(addonOf('dedicated_server')),
          ),
        ).toHaveLength(1);
        given(addonOf('domain'))
          .when(unpaid('2024-02-15', '2024-02-18T12:00:00Z'))
          .thenFails('INVALID_TRANSITION', { suspensionDate: '2024-02-25' });
      });

      it('counts from the due date it is given, and refuses one that is not a date', () => {
        given(ACTIVE)
          .when(unpaid('2024-02-01', '2024-02-11T12:00:00Z'))
          .then([
            {
              ...suspended('non_payment', '2024-02-11'),
              data: { ...suspended('non_payment', '2024-02-11').data },
            },
          ]);
        given(ACTIVE)
          .when(unpaid('15/02/2024', '2024-03-01T12:00:00Z'))
          .thenFails('VALIDATION_FAILED', { field: 'invoiceDueDate' });
        given(ACTIVE)
          .when(command('SuspendService', { reason: 'non_payment' } as never, '2024-03-01T12:00:00Z'))
          .thenFails('VALIDATION_FAILED', { field: 'invoiceId' });
      });
    });

    it('refuses an unknown reason', () => {
      given(ACTIVE)
        .when(command('SuspendService', { reason: 'vacation' } as never, '2024-02-25T12:00:00Z', STAFF))
        .thenFails('VALIDATION_FAILED', { field: 'reason' });
    });

    it('lets only staff suspend administratively', () => {
      for (const actor of [CUSTOMER, CLOCK]) {
        given(ACTIVE)
          .when(command('SuspendService', { reason: 'abuse' }, '2024-02-25T12:00:00Z', actor))
          .thenFails('FORBIDDEN');
      }
    });

    it('suspends only an add-on for parent_suspended', () => {
      given(ACTIVE)
        .when(suspend('parent_suspended'))
        .thenFails('INVALID_TRANSITION', { from: 'active', reason: 'parent_suspended' });
    });

    it('suspends administratively with a note', () => {
      given(ACTIVE)
        .when(command('SuspendService', { reason: 'abuse', note: 'spam' }, '2024-02-25T12:00:00Z', STAFF))
        .then([{ ...suspended('abuse'), data: { ...suspended('abuse').data, note: 'spam' } }]);
    });

    it('changes nothing when suspended again for the same reason', () => {
      given(SUSPENDED).when(suspend('non_payment')).thenNothingHappens();
      given([...ACTIVE, suspended('abuse')])
        .when(suspend('abuse'))
        .thenNothingHappens();
    });

    it('lets staff turn an automatic suspension into an administrative one, keeping the retention start', () => {
      given(SUSPENDED)
        .when(suspend('abuse', '2024-03-10T12:00:00Z'))
        .then([{ ...suspended('abuse', '2024-03-10') }]);
      const state = stateAfter([...SUSPENDED, suspended('abuse', '2024-03-10')]);
      expect(state).toMatchObject({
        status: 'suspended',
        suspension: { reason: 'abuse', suspendedOn: '2024-02-25' },
      });
    });

    it.each([
      ['abuse', 'non_payment'],
      ['abuse', 'terms_of_service'],
      ['parent_suspended', 'non_payment'],
      ['non_payment', 'parent_suspended'],
    ] as const)('refuses to replace a %s suspension with %s', (current, next) => {
      given([...ACTIVE, suspended(current)])
        .when(suspend(next))
        .thenFails('INVALID_TRANSITION', { from: 'suspended', command: 'SuspendService', reason: current });
    });
  });

  describe('ReactivateService', () => {
    it('reactivates a non-payment suspension by payment once no overdue invoice remains', () => {
      given(SUSPENDED)
        .when(reactivateByPayment())
        .then([reactivated('payment', 'non_payment')]);
      expect(stateAfter([...SUSPENDED, reactivated('payment', 'non_payment')]).status).toBe('active');
    });

    it('refuses automatic reactivation while an overdue invoice remains', () => {
      given(SUSPENDED)
        .when(reactivateByPayment(false))
        .thenFails('INVALID_TRANSITION', { reason: 'non_payment', overdueInvoicesRemain: true });
    });

    it('reactivates a parent_suspended add-on by its parent', () => {
      given([...ACTIVE, suspended('parent_suspended')])
        .when(reactivate({ by: 'parent' }))
        .then([reactivated('parent', 'parent_suspended')]);
    });

    it('refuses a payment reactivation of an add-on whose parent is still suspended', () => {
      given([...ACTIVE, suspended('parent_suspended')])
        .when(reactivateByPayment())
        .thenFails('INVALID_TRANSITION', { from: 'suspended', reason: 'parent_suspended' });
    });

    it("refuses the parent's reactivation when the add-on itself is unpaid", () => {
      given(SUSPENDED)
        .when(reactivate({ by: 'parent' }))
        .thenFails('INVALID_TRANSITION', { reason: 'non_payment' });
    });

    it.each(['abuse', 'terms_of_service', 'other'] as const)(
      'refuses automatic reactivation of a %s suspension with SUSPENDED_BY_STAFF',
      (reason) => {
        const events = [...ACTIVE, suspended(reason)];
        given(events).when(reactivateByPayment()).thenFails('SUSPENDED_BY_STAFF', { reason });
        given(events)
          .when(reactivate({ by: 'parent' }))
          .thenFails('SUSPENDED_BY_STAFF');
        given(events)
          .when(reactivate({ by: 'staff' }, STAFF))
          .then([reactivated('staff', reason)]);
      },
    );

    it('lifts a suspension by staff only when the actor is staff', () => {
      for (const actor of [CUSTOMER, CLOCK]) {
        given([...ACTIVE, suspended('abuse')])
          .when(reactivate({ by: 'staff' }, actor))
          .thenFails('FORBIDDEN');
      }
      given(SUSPENDED)
        .when(reactivate({ by: 'someone' } as never))
        .thenFails('VALIDATION_FAILED', { field: 'by' });
    });

    it('lets staff lift an automatic suspension too', () => {
      given(SUSPENDED)
        .when(reactivate({ by: 'staff', note: 'ok' }, STAFF))
        .then([reactivated('staff', 'non_payment')]);
    });
  });

  describe('CancelService', () => {
    it('refuses an unknown timing, or a blank reason or protocol number', () => {
      const at = '2024-02-01T12:00:00Z';
      given(ACTIVE)
        .when(command('CancelService', { when: 'tomorrow' as never, reason: 'r', protocolNumber: 'P' }, at))
        .thenFails('VALIDATION_FAILED', { field: 'when' });
      given(ACTIVE)
        .when(command('CancelService', { when: 'immediate', reason: ' ', protocolNumber: 'P' }, at))
        .thenFails('VALIDATION_FAILED', { field: 'reason' });
      given(ACTIVE)
        .when(command('CancelService', { when: 'immediate', reason: 'r', protocolNumber: '' }, at))
        .thenFails('VALIDATION_FAILED', { field: 'protocolNumber' });
    });

    const cancelledNow = (requestedAt: string): ServiceEvent => ({
      type: 'ServiceCancelled',
      data: {
        serviceId: ID,
        when: 'immediate',
        reason: 'moving',
        protocolNumber: 'P-1',
        requestedAt,
        cancelledAt: requestedAt,
      },
    });

    it.each([
      ['pending', PENDING],
      ['active', ACTIVE],
      ['suspended', SUSPENDED],
      ['active with a scheduled cancellation', [...ACTIVE, scheduled]],
    ] as const)('cancels a %s service immediately', (_, events) => {
      given(events)
        .when(cancel('immediate'))
        .then([cancelledNow('2024-02-01T12:00:00Z')]);
    });

    it('schedules an end-of-period cancellation for the next due date (end of the paid period)', () => {
      given(ACTIVE).when(cancel('end_of_period')).then([scheduled]);
      given(SUSPENDED).when(cancel('end_of_period')).then([scheduled]);
    });

    it('refuses an end-of-period cancellation of a pending service (no paid period)', () => {
      given(PENDING)
        .when(cancel('end_of_period'))
        .thenFails('INVALID_TRANSITION', { from: 'pending', when: 'end_of_period' });
    });

    it('refuses a second scheduled cancellation', () => {
      given([...ACTIVE, scheduled])
        .when(cancel('end_of_period'))
        .thenFails('INVALID_TRANSITION', { effectiveOn: '2024-02-15' });
    });

    it('keeps the schedule across a suspension and a reactivation', () => {
      const events = [...ACTIVE, scheduled, suspended('non_payment'), reactivated('payment', 'non_payment')];
      expect(stateAfter(events)).toMatchObject({
        status: 'active',
        scheduledCancellation: { effectiveOn: '2024-02-15', protocolNumber: 'P-1' },
      });
    });
  });

  describe('CompleteScheduledCancellation', () => {
    const cancelledAtEnd = (cancelledAt: string): ServiceEvent => ({
      type: 'ServiceCancelled',
      data: {
        serviceId: ID,
        when: 'end_of_period',
        reason: 'moving',
        protocolNumber: 'P-1',
        requestedAt: '2024-02-01T12:00:00Z',
        cancelledAt,
      },
    });

    it('cancels on the effective date in Sao Paulo, not before', () => {
      given([...ACTIVE, scheduled])
        .when(complete('2024-02-15T02:59:59Z'))
        .thenFails('INVALID_TRANSITION', { effectiveOn: '2024-02-15' });
      given([...ACTIVE, scheduled])
        .when(complete('2024-02-15T03:00:00Z'))
        .then([cancelledAtEnd('2024-02-15T03:00:00Z')]);
      given([...ACTIVE, scheduled, suspended('abuse')])
        .when(complete('2024-03-01T12:00:00Z'))
        .then([cancelledAtEnd('2024-03-01T12:00:00Z')]);
    });

    it('is refused without a scheduled cancellation', () => {
      given(ACTIVE)
        .when(complete('2024-03-01T12:00:00Z'))
        .thenFails('INVALID_TRANSITION', { from: 'active' });
      given(PENDING)
        .when(complete('2024-03-01T12:00:00Z'))
        .thenFails('INVALID_TRANSITION', { from: 'pending' });
    });
  });

  describe('TerminateService', () => {
    it('refuses an unknown cause', () => {
      given(SUSPENDED)
        .when(command('TerminateService', { cause: 'bored' as never }, '2024-06-01T12:00:00Z'))
        .thenFails('VALIDATION_FAILED', { field: 'cause' });
    });

    const terminated = (
      at: string,
      cause: 'retention_elapsed' | 'parent_terminated' = 'retention_elapsed',
    ) => ({
      type: 'ServiceTerminated' as const,
      data: { serviceId: ID, cause, terminatedAt: at },
    });

    it('terminates a shared service 3 months after its suspension (Sao Paulo day), not a day earlier', () => {
      given(SUSPENDED)
        .when(terminate('2024-05-25T02:59:59Z'))
        .thenFails('INVALID_TRANSITION', { from: 'suspended', terminationDate: '2024-05-25' });
      given(SUSPENDED)
        .when(terminate('2024-05-25T03:00:00Z'))
        .then([terminated('2024-05-25T03:00:00Z')]);
    });

    it('terminates a cloud server 7 days after its suspension', () => {
      const events = [
        ordered({ kind: 'cloud_server' }),
        firstPaid,
        provisioned,
        activated,
        suspended('non_payment'),
      ];
      given(events).when(terminate('2024-03-03T02:00:00Z')).thenFails('INVALID_TRANSITION');
      given(events)
        .when(terminate('2024-03-03T12:00:00Z'))
        .then([terminated('2024-03-03T12:00:00Z')]);
    });

    it("follows the parent's kind for an add-on", () => {
      const addon = ordered({ kind: 'addon', parentServiceId: 'svc-0', parentKind: 'dedicated_server' });
      given([addon, firstPaid, provisioned, activated, suspended('non_payment')])
        .when(terminate('2024-03-03T12:00:00Z'))
        .then([terminated('2024-03-03T12:00:00Z')]);
    });

    it.each(['abuse', 'terms_of_service', 'other'] as const)(
      'never ends a %s suspension by itself, however long it lasts',
      (reason) => {
        given([...ACTIVE, suspended(reason)])
          .when(terminate('2030-01-01T12:00:00Z'))
          .thenFails('INVALID_TRANSITION', { from: 'suspended', reason, cause: 'retention_elapsed' });
      },
    );

    it('never ends by retention a suspension staff made administrative, nor an add-on held by its parent', () => {
      given([...SUSPENDED, suspended('abuse', '2024-03-10')])
        .when(terminate('2030-01-01T12:00:00Z'))
        .thenFails('INVALID_TRANSITION', { reason: 'abuse' });
      given([...ACTIVE, suspended('parent_suspended')])
        .when(terminate('2030-01-01T12:00:00Z'))
        .thenFails('INVALID_TRANSITION', { reason: 'parent_suspended' });
    });

    it('is refused for a service that is not suspended', () => {
      given(ACTIVE)
        .when(terminate('2030-01-01T12:00:00Z'))
        .thenFails('INVALID_TRANSITION', { from: 'active', cause: 'retention_elapsed' });
    });

    it('terminates a live add-on whose parent was terminated, whatever its status', () => {
      const addon = ordered({ kind: 'addon', parentServiceId: 'svc-0', parentKind: 'domain' });
      for (const events of [[addon], [addon, firstPaid, provisioned, activated]]) {
        given(events)
          .when(terminate('2024-03-03T12:00:00Z', 'parent_terminated'))
          .then([terminated('2024-03-03T12:00:00Z', 'parent_terminated')]);
      }
      given([addon, firstPaid, provisioned, activated, cancelledEvent])
        .when(terminate('2024-03-03T12:00:00Z', 'parent_terminated'))
        .thenFails('INVALID_TRANSITION', { from: 'cancelled', cause: 'parent_terminated' });
    });

    it('refuses parent_terminated for a service that is not an add-on', () => {
      given(ACTIVE)
        .when(terminate('2024-03-03T12:00:00Z', 'parent_terminated'))
        .thenFails('INVALID_TRANSITION', { from: 'active', cause: 'parent_terminated' });
    });
  });

  describe('ChangeServicePaymentMethod', () => {
    it('refuses a payment method with a security code or of an unknown kind', () => {
      const at = '2024-02-01T12:00:00Z';
      given(ACTIVE)
        .when(command('ChangeServicePaymentMethod', { paymentMethod: { method: 'boleto', cvv: '1' } }, at))
        .thenFails('VALIDATION_FAILED', { field: 'cvv' });
      given(ACTIVE)
        .when(command('ChangeServicePaymentMethod', { paymentMethod: { method: 'pix' } }, at))
        .thenFails('VALIDATION_FAILED', { field: 'method' });
    });

    it('records the override, or the return to the contract default', () => {
      given(ACTIVE)
        .when(changeMethod)
        .then([
          {
            type: 'ServicePaymentMethodChanged',
            data: { serviceId: ID, paymentMethod: boleto, changedAt: '2024-02-01T12:00:00Z' },
          },
        ]);
      const changed: ServiceEvent = {
        type: 'ServicePaymentMethodChanged',
        data: { serviceId: ID, paymentMethod: null, changedAt: '2024-02-01T12:00:00Z' },
      };
      expect(stateAfter([ordered({ paymentMethod: boleto }), changed])).toMatchObject({
        paymentMethod: null,
      });
    });
  });

  describe('every status × command', () => {
    const states = {
      pending: PENDING,
      active: ACTIVE,
      suspended: SUSPENDED,
      cancelled: CANCELLED,
      terminated: TERMINATED,
    } as const;
    const commands: Record<string, ServiceCommand> = {
      ProvisionService: provision('srv-9'),
      RecordInvoicePaid: pay('inv-9'),
      SuspendService: suspend('abuse'),
      ReactivateService: reactivate({ by: 'staff' }, STAFF),
      CancelImmediately: cancel('immediate'),
      CancelAtEndOfPeriod: cancel('end_of_period'),
      CompleteScheduledCancellation: complete('2030-01-01T12:00:00Z'),
      TerminateService: terminate('2030-01-01T12:00:00Z'),
      ChangeServicePaymentMethod: changeMethod,
    };
    const accepted: Record<keyof typeof states, readonly string[]> = {
      pending: ['ProvisionService', 'RecordInvoicePaid', 'CancelImmediately', 'ChangeServicePaymentMethod'],
      active: [
        'RecordInvoicePaid',
        'SuspendService',
        'CancelImmediately',
        'CancelAtEndOfPeriod',
        'ChangeServicePaymentMethod',
      ],
      suspended: [
        'RecordInvoicePaid',
        'SuspendService',
        'ReactivateService',
        'CancelImmediately',
        'CancelAtEndOfPeriod',
        'TerminateService',
        'ChangeServicePaymentMethod',
      ],
      cancelled: [],
      terminated: [],
    };
    const cases = Object.entries(states).flatMap(([status, events]) =>
      Object.entries(commands).map(([name, command]) => ({
        status,
        name,
        events,
        command,
        ok: accepted[status as keyof typeof states].includes(name),
      })),
    );

    it.each(cases)('$status × $name (accepted: $ok)', ({ status, events, command, ok }) => {
      if (ok) {
        const decided = serviceDecider.decide(command, stateAfter(events));
        expect(decided.length).toBeGreaterThan(0);
      } else {
        given(events).when(command).thenFails('INVALID_TRANSITION', { from: status, command: command.type });
      }
    });
  });

  describe('evolve', () => {
    it('ignores events it does not know', () => {
      const state = stateAfter(ACTIVE);
      expect(
        serviceDecider.evolve(state, { type: 'SomethingNew', data: {} } as unknown as ServiceEvent),
      ).toBe(state);
    });

    it('ignores a scheduled cancellation on a pending service and any event before the order', () => {
      const pending = stateAfter(PENDING);
      expect(serviceDecider.evolve(pending, scheduled)).toBe(pending);
      const none = serviceDecider.initialState();
      expect(serviceDecider.evolve(none, activated)).toBe(none);
    });

    it('folds the whole lifecycle into the terminated state', () => {
      expect(stateAfter(TERMINATED)).toEqual({
        status: 'terminated',
        terminatedAt: '2024-06-01T12:00:00Z',
        cause: 'retention_elapsed',
        serviceId: ID,
        contractId: 'ctr-1',
        kind: 'shared_hosting',
        plan: 'Plano M',
        billingCycle: 'monthly',
        priceCents: 2990,
        parentServiceId: null,
        parentKind: null,
        paymentMethod: null,
        orderedAt: ORDERED_AT,
        nextDueDate: '2024-02-15',
        anchorDay: 15,
        instanceId: 'srv-1',
        paidInvoiceIds: ['inv-1'],
      });
      expect(stateAfter(CANCELLED)).toMatchObject({ status: 'cancelled', protocolNumber: 'P-1' });
    });
  });

  describe('refusals explain themselves', () => {
    it.each([
      [ACTIVE, pay('inv-1'), null],
      [CANCELLED, pay('inv-9'), 'A cancelled service cannot accept RecordInvoicePaid'],
      [ACTIVE, orderService(), 'This service was already ordered'],
      [[], pay('inv-1'), 'No such service'],
      [[], orderService({ priceCents: 0 }), 'priceCents must be a positive whole number of cents'],
      [[], orderService({ kind: 'addon' }), 'an add-on needs its parent service and its kind'],
      [[], orderService({ parentServiceId: 'p' }), 'only add-ons have a parent service'],
      [
        [...ACTIVE, suspended('abuse')],
        reactivateByPayment(),
        'This service was suspended by staff; only staff can reactivate it',
      ],
    ] as const)('%#', (events, command, message) => {
      const run = () => serviceDecider.decide(command, stateAfter(events));
      if (message === null) expect(run()).toEqual([]);
      else expect(run).toThrow(message);
    });
  });
});

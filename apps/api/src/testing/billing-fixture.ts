import { randomUUID } from 'node:crypto';
import { handleCommand, type WritePath } from '@app/command-handling';
import {
  addDays,
  instanceDecider,
  instanceStream,
  invoiceDecider,
  invoiceStream,
  localDate,
  serviceDecider,
  serviceStream,
  type Actor,
  type BillingCycle,
  type Command,
  type Decider,
  type InvoiceCommand,
  type Message,
  type ServiceCommand,
  type ServiceKind,
} from '@app/domain';
import { WRITE_PATH, type Caller } from '@app/platform';
import type { UnsentCommand } from '../commands/command-sender';
import type { ApiTestApp } from './api-test-app';
import type { TestContract } from './contract-fixture';

/** An admin of the provider, for the steps staff take in a fixture (provisioning, suspending). */
export const FIXTURE_ADMIN: Caller = {
  userId: 'fixture-admin',
  email: 'admin@provedor.com.br',
  roles: ['admin'],
};

const asUser = (caller: Caller): Actor => ({ kind: 'user', ...caller });
const asSystem = (rule: string): Actor => ({ kind: 'system', rule });

/** Sends one command through the app's own write path (the real deciders, no shortcut), now, as `actor`. */
const send = async <C extends Command, E extends Message, S>(
  api: ApiTestApp,
  decider: Decider<C, E, S>,
  stream: string,
  command: UnsentCommand<C>,
  actor: Actor,
): Promise<void> => {
  const writePath = api.app.get<WritePath>(WRITE_PATH);
  await handleCommand(writePath, decider, stream, {
    command: { ...command, metadata: { now: new Date().toISOString(), actor } } as C,
    commandId: randomUUID(),
  });
};

/** A server registered on the status page, as an admin registers it. */
export const givenInstance = async (api: ApiTestApp): Promise<string> => {
  const instanceId = `srv-${randomUUID().slice(0, 8)}`;
  await send(
    api,
    instanceDecider,
    instanceStream(instanceId),
    {
      type: 'RegisterInstance',
      data: { instanceId, name: `Servidor ${instanceId}`, kind: 'shared', datacenter: 'São Paulo' },
    },
    asUser(FIXTURE_ADMIN),
  );
  return instanceId;
};

export type ServiceStatusWanted = 'pending' | 'active' | 'suspended';

export type GivenServiceOptions = Readonly<{
  /** `pending` as ordered; `active` once paid and provisioned; `suspended` by staff for abuse. */
  status?: ServiceStatusWanted;
  kind?: ServiceKind;
  billingCycle?: BillingCycle;
  priceCents?: number;
}>;

/**
 * A service of the contract, ordered by its owner and taken to `status` the way the product does: a first
 * payment recorded by the system and a provisioning by an admin make it active; an admin suspends it.
 */
export const givenService = async (
  api: ApiTestApp,
  contract: TestContract,
  {
    status = 'pending',
    kind = 'shared_hosting',
    billingCycle = 'monthly',
    priceCents = 2990,
  }: GivenServiceOptions = {},
): Promise<string> => {
  const serviceId = randomUUID();
  const stream = serviceStream(serviceId);
  const toService = (command: UnsentCommand<ServiceCommand>, actor: Actor) =>
    send(api, serviceDecider, stream, command, actor);
  await toService(
    {
      type: 'OrderService',
      data: {
        serviceId,
        contractId: contract.contractId,
        kind,
        plan: 'Plano Teste',
        billingCycle,
        priceCents,
      },
    },
    asUser(contract.owner),
  );
  if (status === 'pending') return serviceId;
  await toService(
    { type: 'RecordInvoicePaid', data: { invoiceId: randomUUID(), paidAt: new Date().toISOString() } },
    asSystem('service-follows-payment'),
  );
  await toService(
    { type: 'ProvisionService', data: { instanceId: await givenInstance(api) } },
    asUser(FIXTURE_ADMIN),
  );
  if (status === 'active') return serviceId;
  await toService({ type: 'SuspendService', data: { reason: 'abuse' } }, asUser(FIXTURE_ADMIN));
  return serviceId;
};

export type InvoiceStatusWanted = 'open' | 'paid' | 'cancelled';

export type GivenInvoiceOptions = Readonly<{
  status?: InvoiceStatusWanted;
  totalCents?: number;
  /** The service its one line bills; a made-up id unless given. */
  serviceId?: string;
}>;

/**
 * An invoice of the contract, issued as the billing clock issues one (invoices have no HTTP command: the system
 * issues them) and, when asked, paid through the gateway or cancelled by staff.
 */
export const givenInvoice = async (
  api: ApiTestApp,
  contract: TestContract,
  { status = 'open', totalCents = 2990, serviceId = randomUUID() }: GivenInvoiceOptions = {},
): Promise<string> => {
  const invoiceId = randomUUID();
  const today = localDate(new Date().toISOString());
  const toInvoice = (command: UnsentCommand<InvoiceCommand>, actor: Actor) =>
    send(api, invoiceDecider, invoiceStream(invoiceId), command, actor);
  await toInvoice(
    {
      type: 'IssueInvoice',
      data: {
        invoiceId,
        contractId: contract.contractId,
        dueDate: today,
        lines: [
          {
            serviceId,
            description: 'Hospedagem Plus (mensal)',
            periodStart: today,
            periodEnd: addDays(today, 29),
            amountCents: totalCents,
          },
        ],
      },
    },
    asSystem('issue-invoices'),
  );
  if (status === 'paid') {
    await toInvoice(
      {
        type: 'RecordPayment',
        data: {
          transactionId: `tx-${randomUUID()}`,
          amountCents: totalCents,
          method: 'boleto',
          paidAt: new Date().toISOString(),
        },
      },
      asSystem('payment-webhook'),
    );
  }
  if (status === 'cancelled') {
    await toInvoice(
      { type: 'CancelInvoice', data: { reason: 'cancelled in a fixture' } },
      asUser(FIXTURE_ADMIN),
    );
  }
  return invoiceId;
};

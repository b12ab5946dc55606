import { handleCommand, type WritePath } from '@app/command-handling';
import { serviceDecider, serviceStream, type BillingCycle } from '@app/domain';
import type { Position } from '@app/event-store';

/** A shared hosting service ordered on February 29th 2024 by a test, as the reactor specs' cause. */
export const orderService = async (
  writePath: WritePath,
  serviceId: string,
  billingCycle: BillingCycle,
): Promise<Position | undefined> =>
  (
    await handleCommand(writePath, serviceDecider, serviceStream(serviceId), {
      command: {
        type: 'OrderService',
        data: {
          serviceId,
          contractId: 'ctr-1',
          kind: 'shared_hosting',
          plan: 'Plano M',
          billingCycle,
          priceCents: 2990,
        },
        metadata: { now: '2024-02-29T15:00:00.000Z', actor: { kind: 'system', rule: 'test' } },
      },
      commandId: `order:${serviceId}`,
    })
  ).position;

import type { ServiceCommand } from './service.commands';
import type { ServiceEvent } from './service.events';
import type { LiveService, ServiceState } from './service.state';
import { isLive } from './service.state';

/** A command for one add-on's stream. */
export type AddonCommand = Readonly<{ serviceId: string; command: ServiceCommand }>;

/**
 * The commands a parent service's event implies for its add-ons, which follow their parent: a suspended parent
 * suspends its active add-ons (`parent_suspended`), a reactivated one reactivates the add-ons it had suspended,
 * a cancelled or terminated one takes its live add-ons with it. `addons` are the current states of the add-ons
 * (others are ignored); add-ons already in the target status get no command, so a reactor can replay safely.
 */
export const commandsForAddonsOnParentEvent = (
  parentEvent: ServiceEvent,
  addons: readonly ServiceState[],
): readonly AddonCommand[] => {
  const parentId = parentEvent.data.serviceId;
  const children = addons
    .filter(isLive)
    .filter((addon) => addon.kind === 'addon' && addon.parentServiceId === parentId);
  const each = (applies: (addon: LiveService) => boolean, command: ServiceCommand): readonly AddonCommand[] =>
    children.filter(applies).map((addon) => ({ serviceId: addon.serviceId, command }));

  switch (parentEvent.type) {
    case 'ServiceSuspended':
      return each((addon) => addon.status === 'active', {
        type: 'SuspendService',
        data: {
          reason: 'parent_suspended',
          note: `parent ${parentId} suspended: ${parentEvent.data.reason}`,
          at: parentEvent.data.suspendedAt,
        },
      });
    case 'ServiceReactivated':
      return each((addon) => addon.status === 'suspended' && addon.suspension.reason === 'parent_suspended', {
        type: 'ReactivateService',
        data: { by: 'parent', at: parentEvent.data.reactivatedAt },
      });
    case 'ServiceCancelled':
      return each(() => true, {
        type: 'CancelService',
        data: {
          when: 'immediate',
          reason: `parent ${parentId} cancelled`,
          protocolNumber: parentEvent.data.protocolNumber,
          requestedAt: parentEvent.data.cancelledAt,
        },
      });
    case 'ServiceTerminated':
      return each(() => true, {
        type: 'TerminateService',
        data: { at: parentEvent.data.terminatedAt, cause: 'parent_terminated' },
      });
    default:
      return [];
  }
};
